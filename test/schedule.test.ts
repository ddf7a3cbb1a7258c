import { describe, expect, it } from "vitest";
import {
  type DigestSchedule,
  formatClock,
  localDate,
  localParts,
  nextDigestAt,
  zonedTimeToInstant,
} from "../src/digest/schedule.js";

/** The next digest after `after` (an ISO string), as an ISO string. */
function next(schedule: DigestSchedule, after: string): string {
  return nextDigestAt(schedule, new Date(after)).toISOString();
}

function daily(hour: number, minute: number, timeZone: string): DigestSchedule {
  return { hour, minute, days: "daily", timeZone };
}

function weekdays(hour: number, minute: number, timeZone: string): DigestSchedule {
  return { hour, minute, days: "weekdays", timeZone };
}

describe("formatClock", () => {
  it("pads hours and minutes to two digits", () => {
    expect(formatClock(9, 5)).toBe("09:05");
    expect(formatClock(9, 0)).toBe("09:00");
    expect(formatClock(0, 0)).toBe("00:00");
    expect(formatClock(23, 59)).toBe("23:59");
  });
});

describe("localParts and localDate", () => {
  it("gives the local date either side of midnight in Tokyo, unlike UTC", () => {
    expect(localDate(new Date("2026-11-25T14:59:59Z"), "Asia/Tokyo")).toBe("2026-11-25");
    expect(localDate(new Date("2026-11-25T15:00:00Z"), "Asia/Tokyo")).toBe("2026-11-26");
    expect(localDate(new Date("2026-11-25T15:00:00Z"), "UTC")).toBe("2026-11-25");
    expect(localDate(new Date("2026-12-31T15:00:00Z"), "Asia/Tokyo")).toBe("2027-01-01");
  });

  it("gives hour 0 (not 24) at midnight, and the local weekday", () => {
    expect(localParts(new Date("2026-11-25T15:00:00Z"), "Asia/Tokyo")).toEqual({
      year: 2026,
      month: 11,
      day: 26,
      hour: 0,
      minute: 0,
      weekday: 4, // Thursday
    });
  });

  it("gives Friday for a Saturday-UTC instant in Los Angeles", () => {
    expect(localParts(new Date("2026-11-28T02:00:00Z"), "America/Los_Angeles")).toEqual({
      year: 2026,
      month: 11,
      day: 27,
      hour: 18,
      minute: 0,
      weekday: 5,
    });
    expect(localDate(new Date("2026-11-28T02:00:00Z"), "America/Los_Angeles")).toBe("2026-11-27");
  });

  it("handles 30- and 45-minute offsets", () => {
    expect(localParts(new Date("2026-11-25T18:15:00Z"), "Asia/Kathmandu")).toMatchObject({
      day: 26,
      hour: 0,
      minute: 0,
    });
    expect(localParts(new Date("2026-11-25T18:29:00Z"), "Asia/Kolkata")).toMatchObject({
      day: 25,
      hour: 23,
      minute: 59,
    });
  });

  it("rejects an unknown time zone and an invalid date", () => {
    expect(() => localDate(new Date("2026-11-25T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(
      RangeError,
    );
    expect(() => localDate(new Date("not a date"), "UTC")).toThrow(RangeError);
  });
});

describe("zonedTimeToInstant", () => {
  const at = (hour: number, minute: number, month: number, day: number) => ({
    year: 2026,
    month,
    day,
    hour,
    minute,
  });
  const iso = (local: ReturnType<typeof at>, timeZone: string) =>
    zonedTimeToInstant(local, timeZone).toISOString();

  it("converts ordinary times, including fractional offsets", () => {
    expect(iso(at(9, 0, 11, 25), "UTC")).toBe("2026-11-25T09:00:00.000Z");
    expect(iso(at(9, 0, 11, 30), "Asia/Tokyo")).toBe("2026-11-30T00:00:00.000Z");
    expect(iso(at(9, 0, 11, 25), "Asia/Kolkata")).toBe("2026-11-25T03:30:00.000Z");
    expect(iso(at(9, 0, 11, 25), "Asia/Kathmandu")).toBe("2026-11-25T03:15:00.000Z");
    expect(iso(at(9, 0, 1, 15), "America/New_York")).toBe("2026-01-15T14:00:00.000Z");
    expect(iso(at(9, 0, 7, 15), "America/New_York")).toBe("2026-07-15T13:00:00.000Z");
  });

  it("shifts a time in a spring-forward gap forward by the gap", () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(iso(at(1, 59, 3, 8), "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(iso(at(2, 0, 3, 8), "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(at(2, 30, 3, 8), "America/New_York")).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(iso(at(3, 0, 3, 8), "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    // London, 2026-03-29: 01:00 GMT jumps to 02:00 BST (01:00Z); 01:30 → 02:30 BST.
    expect(iso(at(1, 30, 3, 29), "Europe/London")).toBe("2026-03-29T01:30:00.000Z");
    // Lord Howe Island's DST is only 30 minutes: 02:00 → 02:30 (+11) on 2026-10-04.
    expect(iso(at(2, 15, 10, 4), "Australia/Lord_Howe")).toBe("2026-10-03T15:45:00.000Z");
  });

  it("takes the first occurrence of a time repeated at fall-back", () => {
    // New York, 2026-11-01: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z).
    expect(iso(at(1, 30, 11, 1), "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    // London, 2026-10-25: 01:30 BST (00:30Z), then 01:30 GMT (01:30Z). East of UTC, a naive
    // "offset at the wall time read as UTC" iteration would land on the second one.
    expect(iso(at(1, 30, 10, 25), "Europe/London")).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(at(2, 0, 10, 25), "Europe/London")).toBe("2026-10-25T02:00:00.000Z");
  });

  it("round-trips every 45 minutes of 2026 in several zones", () => {
    // 45 minutes: every quarter hour of the day comes round within three days.
    const zones = [
      "America/New_York",
      "Europe/London",
      "America/Los_Angeles",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "America/Santiago",
    ];
    const start = Date.parse("2026-01-01T00:00:00Z");
    const end = Date.parse("2027-01-01T00:00:00Z");
    for (const timeZone of zones) {
      for (let t = start; t < end; t += 45 * 60_000) {
        const wall = localParts(new Date(t), timeZone);
        const back = zonedTimeToInstant(wall, timeZone).getTime();
        // Same wall clock; earlier only for the second occurrence of a repeated time.
        if (back !== t) {
          expect({ timeZone, t: new Date(t), wall: localParts(new Date(back), timeZone) }).toEqual({
            timeZone,
            t: new Date(t),
            wall,
          });
          expect(back).toBeLessThan(t);
        }
      }
    }
  });
});

describe("nextDigestAt", () => {
  it("is strictly after `after` (daily 09:00 UTC)", () => {
    const schedule = daily(9, 0, "UTC");
    expect(next(schedule, "2026-11-25T08:59:00Z")).toBe("2026-11-25T09:00:00.000Z");
    expect(next(schedule, "2026-11-25T09:00:00Z")).toBe("2026-11-26T09:00:00.000Z");
    expect(next(schedule, "2026-11-25T09:00:00.001Z")).toBe("2026-11-26T09:00:00.000Z");
    expect(next(schedule, "2026-12-31T23:00:00Z")).toBe("2027-01-01T09:00:00.000Z");
  });

  it("skips the weekend in Tokyo", () => {
    const schedule = weekdays(9, 0, "Asia/Tokyo");
    // Friday 2026-11-27 09:00 JST = 00:00Z → Monday 2026-11-30 09:00 JST = 00:00Z
    expect(next(schedule, "2026-11-27T00:00:00Z")).toBe("2026-11-30T00:00:00.000Z");
    // Friday 00:30 JST (still Thursday in UTC) → Friday 09:00 JST
    expect(next(schedule, "2026-11-26T15:30:00Z")).toBe("2026-11-27T00:00:00.000Z");
    // Saturday → Monday
    expect(next(schedule, "2026-11-28T03:00:00Z")).toBe("2026-11-30T00:00:00.000Z");
  });

  it("counts the channel's local weekday, not the UTC one", () => {
    // Monday 08:00 in Tokyo is Sunday 23:00Z: a weekday digest all the same.
    expect(next(weekdays(8, 0, "Asia/Tokyo"), "2026-11-28T03:00:00Z")).toBe(
      "2026-11-29T23:00:00.000Z",
    );
    // Friday 18:00 in Los Angeles is Saturday 02:00Z: still Friday's digest.
    const la = weekdays(18, 0, "America/Los_Angeles");
    expect(next(la, "2026-11-27T20:00:00Z")).toBe("2026-11-28T02:00:00.000Z");
    // Friday 17:00 in Los Angeles, already Saturday in UTC: Friday's digest is still to come.
    expect(next(la, "2026-11-28T01:00:00Z")).toBe("2026-11-28T02:00:00.000Z");
    // …and after it, Monday 18:00 PST (Tuesday 02:00Z), not Saturday's or Sunday's.
    expect(next(la, "2026-11-28T02:00:00Z")).toBe("2026-12-01T02:00:00.000Z");
    // Sunday 17:00 in Los Angeles is Monday 01:00Z, yet the weekend is not over there.
    expect(next(la, "2026-11-30T01:00:00Z")).toBe("2026-12-01T02:00:00.000Z");
  });

  it("follows New York's clocks across the 2026 DST changes", () => {
    const schedule = daily(9, 0, "America/New_York");
    // EST (UTC-5): 09:00 = 14:00Z; EDT (UTC-4): 09:00 = 13:00Z.
    expect(next(schedule, "2026-03-06T14:00:00Z")).toBe("2026-03-07T14:00:00.000Z");
    expect(next(schedule, "2026-03-07T14:00:00Z")).toBe("2026-03-08T13:00:00.000Z"); // spring forward
    expect(next(schedule, "2026-03-08T13:00:00Z")).toBe("2026-03-09T13:00:00.000Z");
    expect(next(schedule, "2026-10-31T13:00:00Z")).toBe("2026-11-01T14:00:00.000Z"); // fall back
    expect(next(schedule, "2026-11-01T14:00:00Z")).toBe("2026-11-02T14:00:00.000Z");
  });

  it("follows London's clocks across the 2026 DST changes", () => {
    const schedule = daily(9, 0, "Europe/London");
    expect(next(schedule, "2026-03-28T09:00:00Z")).toBe("2026-03-29T08:00:00.000Z"); // BST
    expect(next(schedule, "2026-10-24T08:00:00Z")).toBe("2026-10-25T09:00:00.000Z"); // GMT
  });

  it("posts a schedule inside the spring-forward gap once, an hour late that day", () => {
    const schedule = daily(2, 30, "America/New_York");
    expect(next(schedule, "2026-03-07T07:30:00Z")).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(next(schedule, "2026-03-08T07:30:00Z")).toBe("2026-03-09T06:30:00.000Z"); // 02:30 EDT
  });

  it("posts a schedule inside the fall-back overlap once, at the first occurrence", () => {
    const schedule = daily(1, 30, "America/New_York");
    expect(next(schedule, "2026-10-31T05:30:00Z")).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
    // Not again at 01:30 EST (06:30Z) the same day.
    expect(next(schedule, "2026-11-01T05:30:00Z")).toBe("2026-11-02T06:30:00.000Z");
  });

  it("handles 30- and 45-minute offsets", () => {
    expect(next(daily(9, 0, "Asia/Kolkata"), "2026-11-25T00:00:00Z")).toBe(
      "2026-11-25T03:30:00.000Z",
    );
    expect(next(daily(9, 0, "Asia/Kathmandu"), "2026-11-25T00:00:00Z")).toBe(
      "2026-11-25T03:15:00.000Z",
    );
    expect(next(daily(9, 15, "Asia/Kathmandu"), "2026-11-25T03:30:00Z")).toBe(
      "2026-11-26T03:30:00.000Z",
    );
    // Friday 09:00 IST → Monday 09:00 IST
    expect(next(weekdays(9, 0, "Asia/Kolkata"), "2026-11-27T03:30:00Z")).toBe(
      "2026-11-30T03:30:00.000Z",
    );
  });

  it("catches up once after downtime, from now rather than from the missed time", () => {
    // The scheduler's rule: on a tick at `now`, a channel whose stored next_digest_at <= now
    // gets ONE digest, and the next one stored is nextDigestAt(schedule, now), so days
    // missed while the app was down are not replayed one by one.
    const schedule = weekdays(9, 0, "Asia/Tokyo");
    const lastDue = new Date("2026-11-30T00:00:00Z"); // Monday 09:00 JST, stored before the outage
    const now = new Date("2026-12-02T03:00:00Z"); // Wednesday 12:00 JST: the app is back
    // Down since Monday 08:00 JST, so Monday's digest is overdue: this tick posts it.
    expect(lastDue.getTime()).toBeLessThanOrEqual(now.getTime());
    // Stepping from the missed time would give Tuesday 09:00, itself already past (and
    // then Wednesday): a post per missed day. That is why the scheduler steps from now.
    expect(nextDigestAt(schedule, lastDue).getTime()).toBeLessThan(now.getTime());
    // From now: Thursday 09:00 JST, in the future, so the next ticks post nothing more.
    expect(nextDigestAt(schedule, now).toISOString()).toBe("2026-12-03T00:00:00.000Z");
  });

  it("gives one digest per local day over a year, DST days included", () => {
    for (const [schedule, expected] of [
      [daily(9, 0, "America/New_York"), 365],
      [daily(2, 30, "America/New_York"), 365], // a gap day
      [daily(1, 30, "America/New_York"), 365], // an overlap day
      [daily(1, 30, "Europe/London"), 365],
      [weekdays(9, 0, "Asia/Tokyo"), 261], // 2026 starts on a Thursday: 52 weeks + 1 day
      [weekdays(18, 0, "America/Los_Angeles"), 261],
    ] as const) {
      const { timeZone } = schedule;
      const dates: string[] = [];
      let at = zonedTimeToInstant({ year: 2026, month: 1, day: 1, hour: 0, minute: 0 }, timeZone);
      // Bounded, so that a nextDigestAt that stops advancing fails instead of hanging.
      while (dates.length <= 366) {
        at = nextDigestAt(schedule, at);
        if (localDate(at, timeZone) >= "2027-01-01") break;
        dates.push(localDate(at, timeZone));
        const { weekday } = localParts(at, timeZone);
        if (schedule.days === "weekdays") expect([0, 6]).not.toContain(weekday);
      }
      expect({ schedule, posts: dates.length, days: new Set(dates).size }).toEqual({
        schedule,
        posts: expected,
        days: expected,
      });
    }
  });

  it("rejects an out-of-range time and an unknown zone", () => {
    const after = new Date("2026-11-25T00:00:00Z");
    expect(() => nextDigestAt(daily(24, 0, "UTC"), after)).toThrow(RangeError);
    expect(() => nextDigestAt(daily(9, 60, "UTC"), after)).toThrow(RangeError);
    expect(() => nextDigestAt(daily(9.5, 0, "UTC"), after)).toThrow(RangeError);
    expect(() => nextDigestAt(daily(9, 0, "Nowhere/Special"), after)).toThrow(RangeError);
  });
});
