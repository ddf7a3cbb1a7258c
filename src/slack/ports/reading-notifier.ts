import type { webApi } from "@slack/bolt";
import { localDate } from "../../digest/schedule.js";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import type { HomePublisher, ReadingMessages } from "../../queue/reading.js";
import {
  renderAssignmentCancelledNotice,
  renderAssignmentChangedNotice,
  renderAssignmentDm,
  renderAssignmentDoneNotice,
} from "../render/direct-messages.js";
import { renderHome } from "../render/home.js";
import { renderReminder } from "../render/reminder.js";
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
 * The messages the team's actions cause, as Slack shows them: DMs in each recipient's
 * language, comments in digest threads in the workspace's (the whole channel reads them).
 */
export function createReadingMessages(
  localeOf: LocaleResolver,
  channelLocale: Locale,
): ReadingMessages {
  return {
    localeOf,
    assigned: renderAssignmentDm,
    assignmentChanged: renderAssignmentChangedNotice,
    assignmentDone: renderAssignmentDoneNotice,
    assignmentCancelled: renderAssignmentCancelledNotice,
    commentInThread: (userId, text) => renderCommentInThread(channelLocale, userId, text),
    reminder: renderReminder,
  };
}

/** Publishes App Home with `views.publish` (a state, not a post: the latest publish wins). */
export function createHomePublisher(deps: {
  slack: webApi.WebClient;
  logger: Logger;
  localeOf: LocaleResolver;
  /** the viewer's time zone: "today" and "overdue" are theirs */
  timeZoneOf: (userId: string) => Promise<string>;
  clock: () => Date;
}): HomePublisher {
  return async (userId, content) => {
    await bestEffort(deps.logger, "publish App Home", { user: userId }, async () => {
      const locale = await deps.localeOf(userId);
      const today = localDate(deps.clock(), await deps.timeZoneOf(userId));
      const view = renderHome(locale, content.page, content.assigned, today);
      await deps.slack.views.publish({ user_id: userId, view });
    });
  };
}
