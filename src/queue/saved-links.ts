import type { Access } from "../access/access.js";
import type { DigestLineRefresher } from "../digest/line-refresher.js";
import { AppError } from "../errors.js";
import { canonicalizeUrl } from "../feeds/canonical-url.js";
import type { FetchedPage } from "../pages/types.js";
import { articleSummaries } from "../store/articles.js";
import { type Db, inTransaction } from "../store/database.js";
import { digestArticlesAt } from "../store/digests.js";
import {
  holdAddedReaction,
  insertReactionArticle,
  type ReactionKey,
  recordReactionChange,
  takeReactionArticles,
} from "../store/link-reactions.js";
import { deleteReadLater, insertReadLater } from "../store/reading.js";
import { claimRequest } from "../store/requests.js";
import { recordArticlesReached } from "../store/visibility.js";
import {
  findKnownArticle,
  findOrFetchArticle,
  type PageArticleDeps,
  type ResolvedArticle,
} from "./page-articles.js";
import type { ReadingService, UserDirectory } from "./reading.js";
import type { ArticleRef, ArticleSummary, AssignmentView } from "./types.js";

/*
 * Saving from anywhere: a link someone typed (`later <url>`), every link of a message someone
 * reacted to or used a message shortcut on, the articles of a digest message. Reactions are
 * events that may arrive twice, late or out of order; the rules for them live here.
 */

/** Most links of one message that are saved. */
export const MAX_LINKS_PER_MESSAGE = 5;

/** A message someone reacted to, as far as saving needs it. */
export interface LinkedMessage {
  /** its http(s) links, in the order they appear */
  links: string[];
  /** the thread it is in (the parent's ts), or null */
  threadTs: string | null;
}

/** Reads a message of a channel (the Slack layer implements it). */
export interface MessageReader {
  /** the message at `ts`, in a thread or not; null when Slack shows no such message */
  read(channelId: string, ts: string): Promise<LinkedMessage | null>;
}

/** A reaction added to or removed from a message, as Slack's event says. */
export interface ReactionEvent {
  /** Slack's event_id: the same for every delivery of one event */
  eventId: string;
  userId: string;
  channelId: string;
  messageTs: string;
  /** the emoji's name, without colons (a skin tone suffix is ignored) */
  emoji: string;
  /** when the reaction happened ("seconds.micros") */
  eventTs: string;
  change: "added" | "removed";
}

/** What saving one link did. */
export interface LinkSave {
  article: ArticleSummary;
  /** false when it was in the queue already */
  added: boolean;
  /** how its page was read when it was new to opsfeed; null when opsfeed knew it */
  page: FetchedPage | null;
}

/** What saving a message's links did. */
export interface MessageSave {
  saves: LinkSave[];
  /** links beyond MAX_LINKS_PER_MESSAGE, not saved */
  skipped: number;
}

/** What an article marked done by a reaction completed. */
export interface ReactionDone {
  article: ArticleSummary;
  completedAssignment: AssignmentView | null;
}

/** What a reaction did, for the reply only the reacting user sees; `threadTs` is where to reply. */
export type ReactionOutcome =
  | {
      kind: "ignored";
      reason:
        | "not-ours"
        | "replayed"
        | "bot"
        | "no-links"
        | "superseded"
        | "unknown-articles"
        | "nothing-saved";
    }
  | ({ kind: "saved"; threadTs: string | null } & MessageSave)
  | { kind: "choose"; action: "save" | "done"; articles: ArticleSummary[]; threadTs: string | null }
  | { kind: "done"; done: ReactionDone[]; threadTs: string | null }
  | { kind: "unsaved"; articles: ArticleSummary[]; threadTs: string | null };

/** What a message shortcut finds to act on. */
export type ShortcutTarget =
  /** a digest message carrying several articles: the user picks */
  | { kind: "choose"; articles: ArticleSummary[] }
  | { kind: "links"; links: string[] }
  | { kind: "none" };

/** The first article of a message, for the Assign shortcut. */
export type FirstArticle =
  | { kind: "known"; article: ArticleSummary }
  /** a link opsfeed has not seen: fetching it takes a moment */
  | { kind: "new"; url: string }
  | { kind: "none" };

/** What saving from messages and reactions needs. */
export interface SavedLinkDeps extends PageArticleDeps {
  reading: ReadingService;
  /** who may read which channel: a save made in a channel records the article reached it */
  access: Access;
  digestLines: DigestLineRefresher;
  directory: UserDirectory;
  messages: MessageReader;
  /** OPSFEED_SAVE_REACTION and OPSFEED_DONE_REACTION */
  reactions: { save: string; done: string };
}

/** The emoji's name without a skin tone (`+1::skin-tone-2` is `+1`). */
function baseEmoji(name: string): string {
  const colons = name.indexOf("::");
  return colons === -1 ? name : name.slice(0, colons);
}

/** The links once each by canonical URL, in order, http(s) only. */
function distinctLinks(links: string[]): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const link of links) {
    const canonical = canonicalizeUrl(link);
    if (!canonical || seen.has(canonical)) continue;
    seen.add(canonical);
    distinct.push(link);
  }
  return distinct;
}

/** Saving from links, messages, digests and reactions. */
export function createSavedLinkService(deps: SavedLinkDeps) {
  const { db } = deps;
  const now = () => deps.clock().toISOString();

  const summariesInOrder = async (ids: number[]): Promise<ArticleSummary[]> => {
    const summaries = await articleSummaries(db, ids);
    return ids.flatMap((id) => summaries.get(id) ?? []);
  };

  /** The articles of the digest message at `ts`, or null when it is not one of opsfeed's digests. */
  const digestArticles = async (channelId: string, ts: string) => {
    const ids = await digestArticlesAt(db, channelId, ts);
    return ids === null ? null : summariesInOrder(ids);
  };

  /** Each link's article, fetching the ones opsfeed has not seen (at most five, at once). */
  const resolveLinks = async (links: string[]) => {
    const distinct = distinctLinks(links);
    const taken = distinct.slice(0, MAX_LINKS_PER_MESSAGE);
    const resolved = await Promise.all(taken.map((link) => findOrFetchArticle(deps, link)));
    return { resolved, skipped: distinct.length - taken.length };
  };

  /**
   * Puts articles in the user's queue in one transaction. With a reaction that still stands
   * (`stillStands` checks and locks it), the ones it added are noted against it; once it is
   * gone, nothing is saved (`whenGone: "skip"`) or they are saved without it.
   */
  const saveAll = async (
    userId: string,
    channelId: string | null,
    resolved: ResolvedArticle[],
    reaction: {
      key: ReactionKey;
      stillStands: (trx: Db) => Promise<boolean>;
      whenGone: "skip" | "save";
    } | null,
  ): Promise<LinkSave[] | null> => {
    const at = now();
    // The user saw the links in the channel, so their articles reached it (as `later` in a
    // channel records); a channel opsfeed cannot see (a DM between two people) records none.
    const channel = channelId && (await deps.access.mayRead(userId, channelId)) ? channelId : null;
    const saves = await inTransaction(db, async (trx) => {
      let recordFor: ReactionKey | null = null;
      if (reaction) {
        if (await reaction.stillStands(trx)) recordFor = reaction.key;
        else if (reaction.whenGone === "skip") return null;
      }
      if (channel) {
        const ids = resolved.map(({ article }) => article.id);
        await recordArticlesReached(trx, channel, ids, "save", at);
      }
      const done: LinkSave[] = [];
      for (const { article, page } of resolved) {
        const added = await insertReadLater(
          trx,
          { userId, articleId: article.id, channelId: channel },
          at,
        );
        if (added) {
          if (recordFor) await insertReactionArticle(trx, recordFor, article.id, at);
          await deps.digestLines.articleChanged(article.id, trx);
        }
        done.push({ article, added, page });
      }
      return done;
    });
    if (saves?.some((save) => save.added)) await deps.reading.refreshHomes([userId]);
    return saves;
  };

  /** Takes out of the queue what the reaction put there, once it is recorded as removed. */
  const undoReaction = async (event: ReactionEvent, key: ReactionKey): Promise<ReactionOutcome> => {
    const undone = await inTransaction(db, async (trx) => {
      const recorded = await recordReactionChange(
        trx,
        key,
        { state: "removed", eventTs: event.eventTs },
        now(),
      );
      if (!recorded) return null;
      const { articleIds, threadTs } = await takeReactionArticles(trx, key);
      const removed: number[] = [];
      for (const articleId of articleIds) {
        if (!(await deleteReadLater(trx, event.userId, articleId))) continue;
        removed.push(articleId);
        await deps.digestLines.articleChanged(articleId, trx);
      }
      return { removed, threadTs };
    });
    if (!undone) return { kind: "ignored", reason: "superseded" };
    if (undone.removed.length === 0) return { kind: "ignored", reason: "nothing-saved" };
    await deps.reading.refreshHomes([event.userId]);
    return {
      kind: "unsaved",
      articles: await summariesInOrder(undone.removed),
      threadTs: undone.threadTs,
    };
  };

  /** Saves what a save reaction points at: a digest's article (or a choice), or the message's links. */
  const saveForReaction = async (
    event: ReactionEvent,
    key: ReactionKey,
  ): Promise<ReactionOutcome> => {
    const recorded = await recordReactionChange(
      db,
      key,
      { state: "added", eventTs: event.eventTs },
      now(),
    );
    if (!recorded) return { kind: "ignored", reason: "superseded" };
    const fromDigest = await digestArticles(event.channelId, event.messageTs);
    let threadTs: string | null = null;
    let resolved: ResolvedArticle[];
    let skipped = 0;
    if (fromDigest !== null) {
      if (fromDigest.length > 1) {
        return { kind: "choose", action: "save", articles: fromDigest, threadTs: null };
      }
      resolved = fromDigest.map((article) => ({ article, page: null }));
    } else {
      const message = await deps.messages.read(event.channelId, event.messageTs);
      if (!message || distinctLinks(message.links).length === 0) {
        return { kind: "ignored", reason: "no-links" };
      }
      threadTs = message.threadTs;
      ({ resolved, skipped } = await resolveLinks(message.links));
    }
    if (resolved.length === 0) return { kind: "ignored", reason: "no-links" };
    const saves = await saveAll(event.userId, event.channelId, resolved, {
      key,
      // The reaction may have been removed while the pages were fetched.
      stillStands: (trx) => holdAddedReaction(trx, key, event.eventTs, threadTs, now()),
      whenGone: "skip",
    });
    if (!saves) return { kind: "ignored", reason: "superseded" };
    return { kind: "saved", saves, skipped, threadTs };
  };

  /** Marks done what a done reaction points at: known articles only, as `done` would. */
  const doneForReaction = async (event: ReactionEvent): Promise<ReactionOutcome> => {
    const fromDigest = await digestArticles(event.channelId, event.messageTs);
    let articles: ArticleSummary[];
    let threadTs: string | null = null;
    if (fromDigest !== null) {
      if (fromDigest.length > 1) {
        return { kind: "choose", action: "done", articles: fromDigest, threadTs: null };
      }
      articles = fromDigest;
    } else {
      const message = await deps.messages.read(event.channelId, event.messageTs);
      const links = distinctLinks(message?.links ?? []).slice(0, MAX_LINKS_PER_MESSAGE);
      if (!message || links.length === 0) return { kind: "ignored", reason: "no-links" };
      threadTs = message.threadTs;
      const known = await Promise.all(links.map((link) => findKnownArticle(db, link)));
      articles = known.filter((article): article is ArticleSummary => article !== null);
    }
    // A check mark on a message about something else entirely is not a reading to record.
    if (articles.length === 0) return { kind: "ignored", reason: "unknown-articles" };
    const done: ReactionDone[] = [];
    for (const article of articles) {
      const { completedAssignment } = await deps.reading.done(event.userId, article);
      done.push({ article, completedAssignment });
    }
    return { kind: "done", done, threadTs };
  };

  return {
    /**
     * The article a user names: by number, or by any URL, which opsfeed fetches and stores as
     * a new article when it has not seen it (`later`, `assign`, `comment`).
     */
    async articleFor(userId: string, ref: ArticleRef): Promise<ResolvedArticle> {
      if (ref.kind === "number") {
        return { article: await deps.reading.article(userId, ref), page: null };
      }
      return findOrFetchArticle(deps, ref.url);
    },

    /**
     * Acts on a reaction event once, however often Slack delivers it: the save reaction saves
     * the message's links (a digest's article), and its removal takes them out again; the
     * done reaction marks them done. Other emoji, bots and messages without links do nothing.
     */
    async reacted(event: ReactionEvent): Promise<ReactionOutcome> {
      const emoji = baseEmoji(event.emoji);
      const action =
        emoji === deps.reactions.save ? "save" : emoji === deps.reactions.done ? "done" : null;
      // Removing a done reaction does not make the article unread.
      if (action === null || (action === "done" && event.change === "removed")) {
        return { kind: "ignored", reason: "not-ours" };
      }
      if (!(await claimRequest(db, `event:${event.eventId}`, now()))) {
        return { kind: "ignored", reason: "replayed" };
      }
      const member = await deps.directory.member(event.userId);
      if (member?.isBot || event.userId === "USLACKBOT") return { kind: "ignored", reason: "bot" };
      const key: ReactionKey = {
        userId: event.userId,
        channelId: event.channelId,
        messageTs: event.messageTs,
      };
      if (action === "done") return doneForReaction(event);
      return event.change === "removed" ? undoReaction(event, key) : saveForReaction(event, key);
    },

    /**
     * Saves the article the user picked from a digest message they reacted to; while the
     * reaction stands, removing it takes this article out again too.
     */
    async pickForReaction(
      userId: string,
      reacted: { channelId: string; messageTs: string },
      articleId: number,
    ): Promise<LinkSave> {
      // The button's value came back from Slack: the article must be one of that digest
      // message's, in a channel the user may read, or it is refused as a number that is not.
      await deps.access.refuseOutsider(userId, reacted.channelId);
      const shown = await digestArticlesAt(db, reacted.channelId, reacted.messageTs);
      if (!shown?.includes(articleId)) {
        throw new AppError("reading.article-not-found", { article: `#${articleId}` });
      }
      const article = await deps.reading.article(userId, { kind: "number", id: articleId });
      const key: ReactionKey = { userId, ...reacted };
      const saved = await saveAll(userId, reacted.channelId, [{ article, page: null }], {
        key,
        stillStands: (trx) => holdAddedReaction(trx, key, null, null, now()),
        // The user asked for it with the button, reaction or not.
        whenGone: "save",
      });
      return saved?.[0] ?? { article, added: false, page: null };
    },

    /** What a message shortcut acts on: a digest's articles, or the message's links. */
    async shortcutTarget(
      channelId: string,
      messageTs: string,
      links: string[],
    ): Promise<ShortcutTarget> {
      const fromDigest = await digestArticles(channelId, messageTs);
      if (fromDigest && fromDigest.length > 1) return { kind: "choose", articles: fromDigest };
      if (fromDigest && fromDigest.length === 1) {
        return { kind: "links", links: fromDigest.map((article) => article.url) };
      }
      const distinct = distinctLinks(links);
      return distinct.length === 0 ? { kind: "none" } : { kind: "links", links: distinct };
    },

    /** Saves a message's links (at most five; new ones fetched) to the user's queue. */
    async saveLinks(
      userId: string,
      channelId: string | null,
      links: string[],
    ): Promise<MessageSave> {
      const { resolved, skipped } = await resolveLinks(links);
      const saves = (await saveAll(userId, channelId, resolved, null)) ?? [];
      return { saves, skipped };
    },

    /** The article of a message's first link (a digest's first article), for the Assign shortcut. */
    async firstArticle(
      channelId: string,
      messageTs: string,
      links: string[],
    ): Promise<FirstArticle> {
      const fromDigest = await digestArticles(channelId, messageTs);
      const first = fromDigest?.[0];
      if (first) return { kind: "known", article: first };
      const [link] = distinctLinks(links);
      if (!link) return { kind: "none" };
      const known = await findKnownArticle(db, link);
      return known ? { kind: "known", article: known } : { kind: "new", url: link };
    },
  };
}

/** Saving from links, messages and reactions, as the composition root builds it. */
export type SavedLinkService = ReturnType<typeof createSavedLinkService>;
