import { randomUUID } from "node:crypto";
import { isAppError } from "../../errors.js";
import { type MessageKey, type MessageParams, t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import { escapeSlackText } from "./escape.js";
import { type Reply, textReply } from "./reply.js";

/**
 * A coded error in words. Parameters often carry text from outside (a feed's host, a
 * parser's reason), so they are escaped before they reach Slack.
 */
export function describeCodedError(locale: Locale, code: string, params: MessageParams): string {
  const safe = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      typeof value === "string" ? escapeSlackText(value) : value,
    ]),
  );
  return t(locale, code as MessageKey, safe);
}

/**
 * The one place an error becomes words for a user: an AppError says what went wrong in
 * the user's language; anything else is logged with an id the user can quote.
 */
export function errorReply(locale: Locale, error: unknown, logger: Logger): Reply {
  if (isAppError(error)) return textReply(describeCodedError(locale, error.code, error.params));
  const errorId = randomUUID().slice(0, 8);
  logger.error("unexpected error while handling a request", { errorId, error });
  return textReply(t(locale, "error.internal", { errorId }));
}
