import { describe, expect, it } from "vitest";
import {
  createAdaptiveWidth,
  LIMITED_ANSWERS_TO_NARROW,
  RECENT_ANSWERS,
} from "../src/digest/adaptive-width.js";

/** Slack answering 429 to enough of the recent posts to halve the width once. */
function limitedOften(width: ReturnType<typeof createAdaptiveWidth>) {
  for (let i = 0; i < LIMITED_ANSWERS_TO_NARROW; i++) width.limited();
}

describe("createAdaptiveWidth", () => {
  it("starts at the setting and never grows above it", () => {
    const width = createAdaptiveWidth(8);
    expect(width.current()).toBe(8);
    width.succeeded();
    expect(width.current()).toBe(8);
  });

  it("halves when a quarter of Slack's recent answers are 429s, down to one step at a time", () => {
    const width = createAdaptiveWidth(32);
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      limitedOften(width);
      seen.push(width.current());
    }
    expect(seen).toEqual([16, 8, 4, 2, 1, 1, 1]);
  });

  it("keeps its width through an occasional 429 (one channel's own limit)", () => {
    const width = createAdaptiveWidth(32);
    // One post in ten refused, for a long while: never a quarter of the recent answers.
    for (let i = 0; i < 20 * RECENT_ANSWERS; i++) {
      if (i % 10 === 0) width.limited();
      else width.succeeded();
    }
    expect(width.current()).toBe(32);
  });

  it("halves once for the 429s of steps already under way, not once for each", () => {
    const width = createAdaptiveWidth(32);
    // Twice as many 429s as it takes, before any step at the narrower width answered.
    for (let i = 0; i < 2 * LIMITED_ANSWERS_TO_NARROW - 1; i++) width.limited();
    expect(width.current()).toBe(16);
  });

  it("grows back by one with each message Slack accepts", () => {
    const width = createAdaptiveWidth(5);
    limitedOften(width);
    limitedOften(width);
    expect(width.current()).toBe(1);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      width.succeeded();
      seen.push(width.current());
    }
    expect(seen).toEqual([2, 3, 4, 5, 5, 5]);
  });

  it("is at least one wide whatever it is given", () => {
    expect(createAdaptiveWidth(0).current()).toBe(1);
  });
});
