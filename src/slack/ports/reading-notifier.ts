import type { webApi } from "@slack/bolt";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import type { ReadingNotifier } from "../../queue/reading.js";
import {
  renderAssignmentCancelledNotice,
  renderAssignmentDm,
  renderAssignmentDoneNotice,
} from "../render/direct-messages.js";
import { renderHome } from "../render/home.js";
import type { Reply } from "../render/reply.js";
import { renderCommentInThread } from "../render/thread.js";
import { slackErrorCode } from "../slack-errors.js";
import type { LocaleResolver } from "./user-directory.js";

/** Runs a Slack side effect; a failure is logged and never fails the user's action. */
export async function bestEffort(
  logger: Logger,
  what: string,
  fields: Record<string, unknown>,
  work: () => Promise<void>,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    logger.warn(`could not ${what}`, {
      ...fields,
      slackError: slackErrorCode(error) ?? (error as Error).message,
    });
    return false;
  }
}

/**
 * What the team's actions cause in Slack beyond the reply: DMs in each recipient's language,
 * comments in digest threads and App Home in the workspace's, each best effort.
 */
export function createReadingNotifier(deps: {
  slack: webApi.WebClient;
  logger: Logger;
  localeOf: LocaleResolver;
  /** the language of what the whole channel reads (threads) */
  channelLocale: Locale;
  clock: () => Date;
}): ReadingNotifier {
  const { slack, logger } = deps;

  const directMessage = async (userId: string, render: (locale: Locale) => Reply) => {
    const opened = await slack.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error("conversations.open returned no channel");
    const message = render(await deps.localeOf(userId));
    await slack.chat.postMessage({ channel, ...message, unfurl_links: false });
  };

  return {
    async assigned(assignment) {
      await bestEffort(logger, "send the assignment DM", { user: assignment.assigneeId }, () =>
        directMessage(assignment.assigneeId, (locale) => renderAssignmentDm(locale, assignment)),
      );
    },
    async assignmentDone(assignment) {
      await bestEffort(logger, "tell the assigner", { user: assignment.assignerId }, () =>
        directMessage(assignment.assignerId, (locale) =>
          renderAssignmentDoneNotice(locale, assignment),
        ),
      );
    },
    async assignmentCancelled(assignment, cancelledBy, recipient) {
      await bestEffort(logger, "tell about a cancelled assignment", { user: recipient }, () =>
        directMessage(recipient, (locale) =>
          renderAssignmentCancelledNotice(locale, assignment, cancelledBy),
        ),
      );
    },
    commentInThread(channelId, threadTs, userId, text) {
      return bestEffort(
        logger,
        "post a comment in the digest thread",
        { channel: channelId },
        async () => {
          const message = renderCommentInThread(deps.channelLocale, userId, text);
          await slack.chat.postMessage({
            channel: channelId,
            thread_ts: threadTs,
            ...message,
            unfurl_links: false,
            unfurl_media: false,
          });
        },
      );
    },
    async home(userId, content) {
      await bestEffort(logger, "publish App Home", { user: userId }, async () => {
        const locale = await deps.localeOf(userId);
        const today = deps.clock().toISOString().slice(0, 10);
        const view = renderHome(locale, content.page, content.assigned, today);
        await slack.views.publish({ user_id: userId, view });
      });
    },
  };
}
