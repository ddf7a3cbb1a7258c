import { type AdaptiveWidth, createAdaptiveWidth } from "./adaptive-width.js";

/**
 * The slots digest steps run in: a step is the database work and at most one Slack call of
 * one channel's digest, and at most `width.current()` steps run at once. Waits (the pause
 * between a digest's parts, a Retry-After) are never taken holding a slot, so a channel
 * waiting does not keep any other channel waiting.
 */
export interface DigestSlots {
  /**
   * Runs `work` in a slot, when one is free. `continuing` steps (a channel whose digest is
   * under way) go before a channel's first step, so channels once started finish first.
   */
  run<T>(work: () => Promise<T>, continuing?: boolean): Promise<T>;
  /** Slack accepted a message: the width may grow back */
  sent(): void;
  /** Slack answered 429: the width halves if 429s are a good share of the answers */
  limited(): void;
}

/** Steps run one after the other, as they come: what a single digest (`digest now`) uses. */
export const UNBOUNDED_SLOTS: DigestSlots = {
  run: (work) => work(),
  sent() {},
  limited() {},
};

/** Slots at most `max` wide, narrowed by 429s (see adaptive-width.ts). */
export function createDigestSlots(max: number): DigestSlots {
  const width: AdaptiveWidth = createAdaptiveWidth(max);
  const continuing: Array<() => void> = [];
  const starting: Array<() => void> = [];
  let busy = 0;

  const next = () => {
    while (busy < width.current()) {
      const wake = continuing.shift() ?? starting.shift();
      if (!wake) return;
      busy++;
      wake();
    }
  };

  return {
    async run(work, isContinuing = false) {
      await new Promise<void>((resolve) => {
        (isContinuing ? continuing : starting).push(resolve);
        next();
      });
      try {
        return await work();
      } finally {
        busy--;
        next();
      }
    },
    sent() {
      width.succeeded();
      next();
    },
    limited: () => width.limited(),
  };
}
