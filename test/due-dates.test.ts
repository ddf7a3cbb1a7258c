import { describe, expect, it } from "vitest";
import { parseDueDateForm, parseWeekday, resolveDueDate } from "../src/queue/due-dates.js";

/** The date `text` means for someone whose today is `today`, or null when it is no date form. */
function due(text: string, today: string): string | null {
  const form = parseDueDateForm(text);
  return form ? resolveDueDate(form, today) : null;
}

describe("due dates", () => {
  // 2026-11-25 is a Wednesday; 2026-12-30 a Wednesday at the end of the year.
  it.each([
    ["2026-12-24", "2026-11-25", "2026-12-24"],
    ["２０２６－１２－２４", "2026-11-25", "2026-12-24"],
    ["2027/1/5", "2026-11-25", "2027-01-05"],
    ["12-24", "2026-11-25", "2026-12-24"],
    ["11-25", "2026-11-25", "2026-11-25"],
    ["11-24", "2026-11-25", "2027-11-24"],
    ["01-02", "2026-12-30", "2027-01-02"],
    ["1-2", "2026-12-30", "2027-01-02"],
    ["02-29", "2026-11-25", "2028-02-29"],
    ["today", "2026-11-25", "2026-11-25"],
    ["Today", "2026-11-25", "2026-11-25"],
    ["tomorrow", "2026-12-31", "2027-01-01"],
    ["ｔｏｍｏｒｒｏｗ", "2026-11-25", "2026-11-26"],
    ["今日", "2026-11-25", "2026-11-25"],
    ["明日", "2026-12-31", "2027-01-01"],
    ["wed", "2026-11-25", "2026-12-02"],
    ["thu", "2026-11-25", "2026-11-26"],
    ["Friday", "2026-11-25", "2026-11-27"],
    ["mon", "2026-11-25", "2026-11-30"],
    ["sun", "2026-12-30", "2027-01-03"],
    ["tues", "2026-11-25", "2026-12-01"],
    ["月曜", "2026-11-25", "2026-11-30"],
    ["月曜日", "2026-11-25", "2026-11-30"],
    ["水曜", "2026-11-25", "2026-12-02"],
    ["日曜日", "2026-12-30", "2027-01-03"],
    ["金曜", "2026-11-25", "2026-11-27"],
  ])("%s on %s is %s", (text, today, expected) => {
    expect(due(text, today)).toBe(expected);
  });

  it.each([
    "",
    "someday",
    "2026-13-45",
    "2026-02-30",
    "2026-2",
    "13-01",
    "02-30",
    "00-10",
    "next week",
    "明後日",
    "月",
    "2026-12-24T09:00",
  ])("refuses %j", (text) => {
    expect(parseDueDateForm(text)).toBeNull();
  });

  it("reads weekdays in English and Japanese for the report schedule", () => {
    expect(parseWeekday("MON")).toBe(1);
    expect(parseWeekday("saturday")).toBe(6);
    expect(parseWeekday("土曜")).toBe(6);
    expect(parseWeekday("today")).toBeNull();
  });
});
