/**
 * The date forms people type after `due:` (and the weekdays of `report at`), and how they
 * become a calendar date. Pure: no clock, no I/O. A form is parsed first (the command's
 * grammar refuses what is not one); it is resolved later against "today" in the assignee's
 * own time zone, which only the use case knows.
 *
 * Forms: `YYYY-MM-DD`, `MM-DD` (the next such date, this year or later), `today`, `tomorrow`,
 * a weekday (`mon`…`sun` or the full English name: the next one, never today), and the
 * Japanese `今日`, `明日`, `月曜`…`日曜` (also `月曜日`). Full-width digits, letters and
 * dashes are folded (NFKC), case is ignored.
 */

/** A due date as typed, before it is resolved against someone's today. */
export type DueDateForm =
  | { kind: "date"; date: string }
  | { kind: "month-day"; month: number; day: number }
  | { kind: "offset"; days: number }
  | { kind: "weekday"; weekday: number };

const DAY_MS = 86_400_000;

/** Weekday words, by the weekday they name (0 = Sunday … 6 = Saturday). */
const WEEKDAY_WORDS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  日曜: 0,
  日曜日: 0,
  月曜: 1,
  月曜日: 1,
  火曜: 2,
  火曜日: 2,
  水曜: 3,
  水曜日: 3,
  木曜: 4,
  木曜日: 4,
  金曜: 5,
  金曜日: 5,
  土曜: 6,
  土曜日: 6,
};

const OFFSET_WORDS: Record<string, number> = {
  today: 0,
  tomorrow: 1,
  今日: 0,
  きょう: 0,
  本日: 0,
  明日: 1,
  あした: 1,
  あす: 1,
};

/** A word as compared: NFKC (full-width folded), lower case, trimmed. */
function fold(text: string): string {
  return text.normalize("NFKC").trim().toLowerCase();
}

/** The weekday a word names (0 = Sunday … 6 = Saturday), or null. */
export function parseWeekday(text: string): number | null {
  const weekday = WEEKDAY_WORDS[fold(text)];
  return weekday === undefined ? null : weekday;
}

/** True for a real calendar date written YYYY-MM-DD (not 2026-13-45). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A date form, or null when the text is none of the accepted forms (or no real date). */
export function parseDueDateForm(text: string): DueDateForm | null {
  const word = fold(text).replace(/[‐-―−ー]/gu, "-");
  if (word === "") return null;
  const offset = OFFSET_WORDS[word];
  if (offset !== undefined) return { kind: "offset", days: offset };
  const weekday = parseWeekday(word);
  if (weekday !== null) return { kind: "weekday", weekday };
  const full = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(word);
  if (full) {
    const date = `${full[1]}-${pad(Number(full[2]))}-${pad(Number(full[3]))}`;
    return isCalendarDate(date) ? { kind: "date", date } : null;
  }
  const short = /^(\d{1,2})[-/](\d{1,2})$/.exec(word);
  if (short) {
    const month = Number(short[1]);
    const day = Number(short[2]);
    // Valid in a leap year at least (02-29 is a date, 02-30 is not).
    return isCalendarDate(`2028-${pad(month)}-${pad(day)}`)
      ? { kind: "month-day", month, day }
      : null;
  }
  return null;
}

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The weekday of a YYYY-MM-DD date (0 = Sunday). */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The calendar date a form means for someone whose date today is `today` (YYYY-MM-DD). */
export function resolveDueDate(form: DueDateForm, today: string): string {
  switch (form.kind) {
    case "date":
      return form.date;
    case "offset":
      return addDays(today, form.days);
    case "weekday": {
      const ahead = (form.weekday - weekdayOf(today) + 7) % 7 || 7;
      return addDays(today, ahead);
    }
    case "month-day": {
      // The next such date, today included: this year, next year, or (02-29) the next leap year.
      const year = Number(today.slice(0, 4));
      for (let y = year; y <= year + 8; y++) {
        const date = `${y}-${pad(form.month)}-${pad(form.day)}`;
        if (isCalendarDate(date) && date >= today) return date;
      }
      throw new Error(`no date for ${form.month}-${form.day}`);
    }
  }
}
