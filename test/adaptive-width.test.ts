import { describe, expect, it } from "vitest";
import { createAdaptiveWidth } from "../src/digest/adaptive-width.js";

describe("createAdaptiveWidth", () => {
  it("starts at the setting and never grows above it", () => {
    const width = createAdaptiveWidth(8);
    expect(width.current()).toBe(8);
    width.succeeded();
    expect(width.current()).toBe(8);
  });

  it("halves on each 429, down to one step at a time", () => {
    const width = createAdaptiveWidth(32);
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      width.limited();
      seen.push(width.current());
    }
    expect(seen).toEqual([16, 8, 4, 2, 1, 1, 1]);
  });

  it("grows back by one with each message Slack accepts", () => {
    const width = createAdaptiveWidth(5);
    width.limited();
    width.limited();
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
