/**
 * Slack Web API errors that retrying cannot fix: the channel is gone, archived, or the bot
 * is not in it, or the token is dead. Listed once; callers stop and record them.
 */
export const PERMANENT_SLACK_ERRORS = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "token_revoked",
  "account_inactive",
  "invalid_auth",
  "missing_scope",
]);

/** The Slack error code of a failed Web API call (`channel_not_found`…), or null. */
export function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === "string" ? data.error : null;
}

/** True when a failed Web API call must not be retried. */
export function isPermanentSlackError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && PERMANENT_SLACK_ERRORS.has(code);
}
