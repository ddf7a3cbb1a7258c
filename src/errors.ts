import type { MessageKey, MessageParams } from "./i18n/catalog.js";

/**
 * An expected failure with a code the user can be told about. The code is a key of
 * the message catalog, so turning an error into words happens in one place (`t`).
 */
export class AppError extends Error {
  constructor(
    readonly code: MessageKey,
    readonly params: MessageParams = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`, options);
    this.name = "AppError";
  }
}

/** True when `error` is an AppError. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * A start-up failure that one setting explains (a database that cannot be opened, a token
 * Slack refuses, a Slack that cannot be reached, a port in use). Its message is the one line
 * an operator sees: `SETTING: what is wrong`.
 */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${detail}`, options);
    this.name = "SettingError";
  }
}
