/*
 * How many digest steps (each at most one Slack call) a process has in flight at once. Slack
 * says when it is too many with 429s: the width halves then, and grows back by one with each
 * message Slack accepts, never above the setting nor below one (additive increase,
 * multiplicative decrease). A 429 now and then is one channel's own limit, which that channel
 * alone waits out (Retry-After); only when 429s are a good share of the recent answers is the
 * process as a whole too fast. Pure: no clock, no I/O.
 */

/** How many of Slack's latest answers are weighed. */
export const RECENT_ANSWERS = 20;

/** How many 429s among the recent answers halve the width (a quarter of them). */
export const LIMITED_ANSWERS_TO_NARROW = RECENT_ANSWERS / 4;

/** The width of digest posting, adjusted by what Slack answers. */
export interface AdaptiveWidth {
  /** how many steps may run at once now */
  current(): number;
  /** Slack accepted a message: one more step may run, up to the setting */
  succeeded(): void;
  /** Slack answered 429: with enough of them among the recent answers, half as many steps */
  limited(): void;
}

/** A width starting at `max` (Slack not limiting is the common case), kept within 1..max. */
export function createAdaptiveWidth(max: number): AdaptiveWidth {
  const ceiling = Math.max(1, Math.floor(max));
  let width = ceiling;
  // The latest answers, true for a 429; emptied when the width halves, so the 429s of the
  // steps already in flight at the wider width do not halve it again.
  let recent: boolean[] = [];
  const answered = (limited: boolean) => {
    recent.push(limited);
    if (recent.length > RECENT_ANSWERS) recent.shift();
  };
  return {
    current: () => width,
    succeeded() {
      answered(false);
      width = Math.min(ceiling, width + 1);
    },
    limited() {
      answered(true);
      if (recent.filter(Boolean).length < LIMITED_ANSWERS_TO_NARROW) return;
      width = Math.max(1, Math.floor(width / 2));
      recent = [];
    },
  };
}
