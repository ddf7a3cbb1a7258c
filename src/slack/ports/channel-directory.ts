import type { webApi } from "@slack/bolt";
import type { ChannelDirectory, ChannelKind } from "../../access/access.js";
import { AppError } from "../../errors.js";
import { slackErrorCode } from "../slack-errors.js";

/** How long what Slack said about a channel is believed: briefly, so a kick takes effect soon. */
const KIND_TTL_MS = 5 * 60_000;
const MEMBERS_TTL_MS = 60_000;
/** Members read per page of conversations.members, and pages at most (100,000 members). */
const MEMBERS_PAGE = 1000;
const MEMBERS_PAGES = 100;

/** Slack's answers that mean opsfeed cannot see the channel at all. */
const UNSEEN = new Set([
  "channel_not_found",
  "not_in_channel",
  "missing_scope",
  "method_not_supported_for_channel_type",
]);

/**
 * Channels as Slack describes them to opsfeed (`conversations.info`, `conversations.members`),
 * cached briefly. A DM's members are its user and opsfeed; a channel Slack will not show is
 * "unseen"; when Slack cannot be asked, the check fails with words rather than guessing.
 */
export function createChannelDirectory(
  client: webApi.WebClient,
  clock: () => Date = () => new Date(),
): ChannelDirectory {
  const kinds = new Map<string, { kind: ChannelKind; imUser: string | null; until: number }>();
  const members = new Map<string, { users: Set<string>; until: number }>();

  const cannotCheck = (error: unknown) =>
    new AppError("access.cannot-check", { error: slackErrorCode(error) ?? "no answer" });

  const info = async (channelId: string) => {
    const now = clock().getTime();
    const cached = kinds.get(channelId);
    if (cached && cached.until > now) return cached;
    let entry: { kind: ChannelKind; imUser: string | null; until: number };
    try {
      const answer = await client.conversations.info({ channel: channelId });
      const channel = answer.channel;
      const isPrivate = Boolean(channel?.is_private || channel?.is_im || channel?.is_mpim);
      entry = {
        kind: isPrivate ? "private" : "public",
        // An IM's other party: the conversations.info answer carries it as `user`.
        imUser: channel?.is_im ? ((channel as { user?: string }).user ?? null) : null,
        until: now + KIND_TTL_MS,
      };
    } catch (error) {
      if (!UNSEEN.has(slackErrorCode(error) ?? "")) throw cannotCheck(error);
      entry = { kind: "unseen", imUser: null, until: now + KIND_TTL_MS };
    }
    kinds.set(channelId, entry);
    return entry;
  };

  const membersOf = async (channelId: string): Promise<Set<string>> => {
    const now = clock().getTime();
    const cached = members.get(channelId);
    if (cached && cached.until > now) return cached.users;
    const users = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MEMBERS_PAGES; page++) {
        const answer = await client.conversations.members({
          channel: channelId,
          limit: MEMBERS_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const user of answer.members ?? []) users.add(user);
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      if (UNSEEN.has(slackErrorCode(error) ?? "")) return new Set();
      throw cannotCheck(error);
    }
    members.set(channelId, { users, until: now + MEMBERS_TTL_MS });
    return users;
  };

  return {
    kindOf: async (channelId) => (await info(channelId)).kind,
    async isMember(channelId, userId) {
      const { kind, imUser } = await info(channelId);
      if (kind === "unseen") return false;
      if (imUser !== null) return imUser === userId;
      return (await membersOf(channelId)).has(userId);
    },
  };
}
