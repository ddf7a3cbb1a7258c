/** The first retry delay of a failing feed. */
export const FIRST_RETRY_DELAY_MS = 10 * 60 * 1000;

/** The longest a failing feed waits between attempts. */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000;

/** How long a feed must have failed before its channels are told, once. */
export const OUTAGE_NOTICE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * How long to wait after the `consecutiveFailures`-th failure in a row: doubling from ten
 * minutes (10 m, 20 m, 40 m, …) and capped at a day, so a dead feed costs a request a day.
 */
export function retryDelayMs(consecutiveFailures: number): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(exponent, 20));
}
