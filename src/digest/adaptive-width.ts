/*
 * How many digest steps (each at most one Slack call) a process has in flight at once. Slack
 * says when it is too many with a 429: the width halves then, and grows back by one with each
 * message Slack accepts, never above the setting nor below one (additive increase,
 * multiplicative decrease). Pure: no clock, no I/O.
 */

/** The width of digest posting, adjusted by what Slack answers. */
export interface AdaptiveWidth {
  /** how many steps may run at once now */
  current(): number;
  /** Slack accepted a message: one more step may run, up to the setting */
  succeeded(): void;
  /** Slack answered 429: half as many steps may run, at least one */
  limited(): void;
}

/** A width starting at `max` (Slack not limiting is the common case), kept within 1..max. */
export function createAdaptiveWidth(max: number): AdaptiveWidth {
  const ceiling = Math.max(1, Math.floor(max));
  let width = ceiling;
  return {
    current: () => width,
    succeeded() {
      width = Math.min(ceiling, width + 1);
    },
    limited() {
      width = Math.max(1, Math.floor(width / 2));
    },
  };
}
