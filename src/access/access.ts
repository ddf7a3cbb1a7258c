import { AppError } from "../errors.js";
import type { CommentView } from "../queue/types.js";
import type { Db } from "../store/database.js";
import { channelsOfArticle, isUsersOwnArticle } from "../store/visibility.js";

/*
 * The access model, enforced here and nowhere else. A user may read a channel's things when
 * the channel is public (as in Slack, anyone in the workspace may read it) or they are a
 * member of it. An article is visible to a user when it reached a channel they may read
 * (a digest, a realtime post, a save, a comment or an assignment there, or a subscription of
 * the channel carrying it), or when it is in their own queue or assignments. A comment
 * belongs to the channel it was made in and is shown only to those who may read that channel.
 */

/** What Slack says of a channel: public, private (group DMs and DMs too), or unseen by opsfeed. */
export type ChannelKind = "public" | "private" | "unseen";

/** Channels as Slack knows them (the Slack layer implements it, caching briefly). */
export interface ChannelDirectory {
  kindOf(channelId: string): Promise<ChannelKind>;
  /** true when the user is a member of the (private) channel */
  isMember(channelId: string, userId: string): Promise<boolean>;
}

/** Who may read and do what, from the database and Slack's word on channels. */
export interface Access {
  /** true when the user may read what belongs to the channel */
  mayRead(userId: string, channelId: string): Promise<boolean>;
  /** refuses, saying why, when the user may not use the channel */
  requireChannel(userId: string, channelId: string): Promise<void>;
  /** refuses a private channel the user is not in (a channel opsfeed cannot see passes) */
  refuseOutsider(userId: string, channelId: string): Promise<void>;
  /** true when the article is visible to the user */
  canSeeArticle(userId: string, articleId: number): Promise<boolean>;
  /** the comments the user may read: those made in channels they may read, or in none */
  readableComments(userId: string, comments: CommentView[]): Promise<CommentView[]>;
}

/** Creates the access model over the database and the channel directory. */
export function createAccess(deps: { db: Db; channels: ChannelDirectory }): Access {
  const { db, channels } = deps;

  const mayRead = async (userId: string, channelId: string) => {
    const kind = await channels.kindOf(channelId);
    if (kind === "public") return true;
    if (kind === "unseen") return false;
    return channels.isMember(channelId, userId);
  };

  return {
    mayRead,
    async requireChannel(userId, channelId) {
      const kind = await channels.kindOf(channelId);
      if (kind === "unseen") throw new AppError("access.channel-unseen", {});
      if (kind === "private" && !(await channels.isMember(channelId, userId))) {
        throw new AppError("access.private-channel", {});
      }
    },
    async refuseOutsider(userId, channelId) {
      const kind = await channels.kindOf(channelId);
      if (kind === "private" && !(await channels.isMember(channelId, userId))) {
        throw new AppError("access.private-channel", {});
      }
    },
    async canSeeArticle(userId, articleId) {
      if (await isUsersOwnArticle(db, userId, articleId)) return true;
      const reached = await channelsOfArticle(db, articleId);
      // Public channels first: they need no membership look-up.
      const kinds = await Promise.all(reached.map((channel) => channels.kindOf(channel)));
      if (kinds.includes("public")) return true;
      for (const [index, channel] of reached.entries()) {
        if (kinds[index] === "private" && (await channels.isMember(channel, userId))) return true;
      }
      return false;
    },
    async readableComments(userId, comments) {
      const readable = new Map<string, boolean>();
      for (const channel of new Set(comments.map((comment) => comment.channelId))) {
        if (channel !== null) readable.set(channel, await mayRead(userId, channel));
      }
      return comments.filter(
        (comment) => comment.channelId === null || readable.get(comment.channelId) === true,
      );
    },
  };
}
