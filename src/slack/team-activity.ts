import type { types, webApi } from "@slack/bolt";
import type { Locale } from "../i18n/locale.js";
import type { Logger } from "../logger.js";
import { activityOf } from "../queue/activity.js";
import { assignedLists } from "../queue/assignments.js";
import { queuePage } from "../queue/read-later.js";
import type { AssignmentView } from "../queue/types.js";
import type { Db } from "../store/database.js";
import type { LocaleResolver } from "./locale-resolver.js";
import { renderActivityBlock } from "./render/digest.js";
import {
  renderAssignmentCancelledNotice,
  renderAssignmentDm,
  renderAssignmentDoneNotice,
  renderCommentInThread,
  renderHome,
} from "./render/queue.js";
import { slackErrorCode } from "./slack-errors.js";

/** How long changes to an article gather before its digest line is updated once. */
export const DIGEST_UPDATE_DEBOUNCE_MS = 1500;

/** What the team's actions cause in Slack beyond the reply: DMs, threads, App Home, digests. */
export interface TeamActivity {
  /** DMs the assignee about a new or updated assignment */
  tellAssignee(assignment: AssignmentView): Promise<void>;
  /** DMs the assigner that the assignee finished reading */
  tellAssignerDone(assignment: AssignmentView): Promise<void>;
  /** DMs the other party that an assignment was cancelled */
  tellCancelled(assignment: AssignmentView, cancelledBy: string): Promise<void>;
  /** posts a comment in the thread of the digest that carried the article in the channel; true if posted */
  postCommentInDigestThread(
    articleId: number,
    channelId: string,
    userId: string,
    text: string,
  ): Promise<boolean>;
  /** re-publishes the App Home of these users */
  refreshHomes(userIds: string[]): Promise<void>;
  /** schedules the update of the article's line in every digest that carried it */
  articleChanged(articleId: number): void;
  /** sends the pending digest updates now (at shutdown) */
  flush(): Promise<void>;
}

/** Dependencies of the team's Slack side effects. */
export interface TeamActivityDeps {
  db: Db;
  slack: webApi.WebClient;
  logger: Logger;
  clock: () => Date;
  localeOf: LocaleResolver;
  /** the language of digests (the workspace default) */
  digestLocale: Locale;
  debounceMs?: number;
}

/** Creates the team's Slack side effects; each failure is logged and never fails the user's action. */
export function createTeamActivity(deps: TeamActivityDeps): TeamActivity {
  const { db, slack, logger } = deps;
  const pending = new Map<string, NodeJS.Timeout>();

  const safely = async (
    what: string,
    fields: Record<string, unknown>,
    work: () => Promise<void>,
  ) => {
    try {
      await work();
    } catch (error) {
      logger.warn(`could not ${what}`, {
        ...fields,
        slackError: slackErrorCode(error) ?? (error as Error).message,
      });
    }
  };

  const directMessage = async (
    userId: string,
    render: (locale: Locale) => { text: string; blocks?: unknown[] },
  ) => {
    const opened = await slack.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error("conversations.open returned no channel");
    const message = render(await deps.localeOf(userId));
    await slack.chat.postMessage({
      channel,
      ...(message as { text: string }),
      unfurl_links: false,
    });
  };

  const updateDigestMessage = async (digestId: number, messageIndex: number) => {
    const message = await db
      .selectFrom("digest_messages")
      .select(["channel_id", "ts", "payload"])
      .where("digest_id", "=", digestId)
      .where("message_index", "=", messageIndex)
      .executeTakeFirst();
    if (!message?.ts || !message.payload) return;
    const payload = JSON.parse(message.payload) as { text: string; blocks: types.KnownBlock[] };
    const articles = await db
      .selectFrom("digest_articles")
      .select("article_id")
      .where("digest_id", "=", digestId)
      .where("message_index", "=", messageIndex)
      .execute();
    const activity = await activityOf(
      db,
      articles.map((row) => row.article_id),
    );
    // The claimed message is the base; each article's activity line goes right under its text.
    const blocks: types.KnownBlock[] = [];
    for (const block of payload.blocks) {
      if (block.block_id?.endsWith("-activity")) continue;
      blocks.push(block);
      const match = /^article-(\d+)-text$/.exec(block.block_id ?? "");
      const articleActivity = match ? activity.get(Number(match[1])) : undefined;
      if (match && articleActivity) {
        const line = renderActivityBlock(deps.digestLocale, Number(match[1]), articleActivity);
        if (line) blocks.push(line);
      }
    }
    await slack.chat.update({
      channel: message.channel_id,
      ts: message.ts,
      text: payload.text,
      blocks,
    });
    logger.info("digest line updated", {
      channel: message.channel_id,
      digest: digestId,
      part: messageIndex + 1,
    });
  };

  const flushOne = async (key: string) => {
    const timer = pending.get(key);
    if (timer) clearTimeout(timer);
    pending.delete(key);
    const [digestId, messageIndex] = key.split(":").map(Number) as [number, number];
    await safely("update a digest message", { digest: digestId }, () =>
      updateDigestMessage(digestId, messageIndex),
    );
  };

  return {
    tellAssignee: (assignment) =>
      safely("send the assignment DM", { user: assignment.assigneeId }, () =>
        directMessage(assignment.assigneeId, (locale) => renderAssignmentDm(locale, assignment)),
      ),
    tellAssignerDone: (assignment) =>
      safely("tell the assigner", { user: assignment.assignerId }, () =>
        directMessage(assignment.assignerId, (locale) =>
          renderAssignmentDoneNotice(locale, assignment),
        ),
      ),
    tellCancelled: (assignment, cancelledBy) => {
      const other =
        cancelledBy === assignment.assignerId ? assignment.assigneeId : assignment.assignerId;
      return safely("tell about a cancelled assignment", { user: other }, () =>
        directMessage(other, (locale) =>
          renderAssignmentCancelledNotice(locale, assignment, cancelledBy),
        ),
      );
    },
    async postCommentInDigestThread(articleId, channelId, userId, text) {
      const digestMessage = await db
        .selectFrom("digest_articles as da")
        .innerJoin("digest_messages as dm", (join) =>
          join
            .onRef("dm.digest_id", "=", "da.digest_id")
            .onRef("dm.message_index", "=", "da.message_index"),
        )
        .select("dm.ts")
        .where("da.channel_id", "=", channelId)
        .where("da.article_id", "=", articleId)
        .where("dm.ts", "is not", null)
        .executeTakeFirst();
      if (!digestMessage?.ts) return false;
      let posted = false;
      await safely(
        "post a comment in the digest thread",
        { channel: channelId, article: articleId },
        async () => {
          const message = renderCommentInThread(deps.digestLocale, userId, text);
          await slack.chat.postMessage({
            channel: channelId,
            thread_ts: digestMessage.ts as string,
            ...(message as { text: string }),
            unfurl_links: false,
            unfurl_media: false,
          });
          posted = true;
        },
      );
      return posted;
    },
    async refreshHomes(userIds) {
      for (const userId of new Set(userIds)) {
        await safely("publish App Home", { user: userId }, async () => {
          const locale = await deps.localeOf(userId);
          const today = deps.clock().toISOString().slice(0, 10);
          const view = renderHome(
            locale,
            await queuePage(db, userId),
            await assignedLists(db, userId),
            today,
          );
          await slack.views.publish({ user_id: userId, view });
        });
      }
    },
    articleChanged(articleId) {
      void (async () => {
        const messages = await db
          .selectFrom("digest_articles")
          .select(["digest_id", "message_index"])
          .where("article_id", "=", articleId)
          .execute();
        for (const { digest_id, message_index } of messages) {
          const key = `${digest_id}:${message_index}`;
          const existing = pending.get(key);
          if (existing) clearTimeout(existing);
          pending.set(
            key,
            setTimeout(() => void flushOne(key), deps.debounceMs ?? DIGEST_UPDATE_DEBOUNCE_MS),
          );
        }
      })().catch((error) =>
        logger.warn("could not schedule a digest update", { article: articleId, error }),
      );
    },
    async flush() {
      await Promise.all([...pending.keys()].map(flushOne));
    },
  };
}
