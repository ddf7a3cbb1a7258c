/**
 * The time maths of a channel's digest schedule. Pure: no I/O, no clock, no zone rules of
 * its own — every offset comes from `Intl.DateTimeFormat` (the runtime's ICU tz data).
 *
 * Wall-clock times that do not map to exactly one instant (daylight-saving transitions):
 * - in a gap (02:30 on New York's spring-forward day never happens) the time is shifted
 *   forward by the gap: 02:30 → 03:30 EDT, so that day's digest still goes out, a bit late;
 * - in an overlap (01:30 on New York's fall-back day happens twice) the FIRST occurrence
 *   (01:30 EDT) is used, and the digest goes out once that day.
 */

import type { DigestDays } from "./types.js";

export interface DigestSchedule {
  /** 0-23, local to `timeZone` */
  hour: number;
  /** 0-59 */
  minute: number;
  /** "weekdays" = Monday to Friday in `timeZone` */
  days: DigestDays;
  /** an IANA name such as "Asia/Tokyo" */
  timeZone: string;
}

export interface LocalParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** A local wall-clock time, to the minute. */
export type WallClock = Omit<LocalParts, "weekday">;

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

// Building a DateTimeFormat is costly and the scheduler asks every minute for every
// channel, so keep one per zone (a handful in practice). An unknown zone throws RangeError.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      // h23, not hour12: false, which some ICU versions render midnight as "24"
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function partsWithSecond(instant: Date, timeZone: string): LocalParts & { second: number } {
  if (Number.isNaN(instant.getTime())) throw new RangeError("invalid date");
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) parts[type] = value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** The local wall-clock parts of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const { year, month, day, hour, minute, weekday } = partsWithSecond(instant, timeZone);
  return { year, month, day, hour, minute, weekday };
}

/** The local calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const { year, month, day } = localParts(instant, timeZone);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The wall clock read as if it were UTC, in ms: the "local epoch" the offset maths uses. */
function wallClockMs(local: WallClock, second = 0): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, second);
}

/** How far `timeZone`'s clocks are ahead of UTC at `ms`, in ms (Tokyo: +9 h). */
function offsetAt(ms: number, timeZone: string): number {
  const parts = partsWithSecond(new Date(ms), timeZone);
  // Compare whole seconds: the formatter drops milliseconds (and LMT offsets have seconds).
  return wallClockMs(parts, parts.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`.
 *
 * In a DST gap (a time that does not exist) the time is shifted forward by the gap:
 * 02:30 on New York's spring-forward day → 03:30 EDT (07:30Z). For an ambiguous time
 * (01:30 on the fall-back day) it is the first occurrence: 01:30 EDT (05:30Z).
 */
export function zonedTimeToInstant(local: WallClock, timeZone: string): Date {
  const wall = wallClockMs(local);
  // The true instant lies within 14 h of `wall` (offsets span -12 h … +14 h), so the offsets
  // a day either side are those in force just before and just after any transition there.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  // Each offset gives a candidate; it is genuine if the offset in force at the candidate
  // is the one that produced it (a fixed point). An overlap has two, a gap none.
  const candidates = [wall - before, wall - after].filter(
    (t) => offsetAt(t, timeZone) === wall - t,
  );
  // Overlap or normal: the earliest genuine candidate. Gap: read the wall clock with the
  // offset from before the jump, which lands the same distance past the jump (02:30 → 03:30).
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wall - before);
}

/** The first digest time strictly after `after`, as a Date (UTC instant). */
export function nextDigestAt(schedule: DigestSchedule, after: Date): Date {
  const { hour, minute, days, timeZone } = schedule;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`minute ${minute}`);
  }
  const today = localParts(after, timeZone);
  // Walk the local calendar from `after`'s local date. A week is plenty: "weekdays" skips
  // at most a weekend, and today's time may already have passed.
  for (let i = 0; i < 8; i++) {
    // Pure calendar arithmetic: Date.UTC normalises day overflow (Nov 31 → Dec 1), and the
    // weekday is that of the local date, so Monday 08:00 Tokyo (Sunday in UTC) is a Monday.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const weekday = date.getUTCDay();
    if (days === "weekdays" && (weekday === 0 || weekday === 6)) continue;
    const due = zonedTimeToInstant(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour,
        minute,
      },
      timeZone,
    );
    if (due.getTime() > after.getTime()) return due;
  }
  // Unreachable for real zones; fail loudly rather than return a wrong time.
  throw new Error(`no digest time found after ${after.toISOString()} in ${timeZone}`);
}

/** "09:00" */
export function formatClock(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
