import type { webApi } from "@slack/bolt";
import type { Locale } from "../i18n/locale.js";
import type { LogFields, Logger } from "../logger.js";
import type { Services } from "../services.js";
import type { SlackUserDirectory } from "./ports/user-directory.js";
import { errorReply } from "./render/error-reply.js";
import type { Reply } from "./render/reply.js";

/** What every listener gets: the use cases, the Web API client and the user directory. */
export interface SlackContext {
  services: Services;
  client: webApi.WebClient;
  directory: SlackUserDirectory;
  logger: Logger;
}

/** One user's request as a handler sees it: who asked, in which language, and where to log. */
export interface UserRequest {
  userId: string;
  locale: Locale;
  logger: Logger;
}

/**
 * Runs a user's request the way every listener does: looks up their language, logs with
 * their id (and `fields`), and turns any error into the reply that explains it.
 */
export async function answerUser<T extends Reply | null>(
  slack: SlackContext,
  userId: string,
  fields: LogFields,
  work: (request: UserRequest) => Promise<T>,
): Promise<T | Reply> {
  const logger = slack.logger.child({ user: userId, ...fields });
  const locale = await slack.directory.localeOf(userId);
  try {
    return await work({ userId, locale, logger });
  } catch (error) {
    return errorReply(locale, error, logger);
  }
}
