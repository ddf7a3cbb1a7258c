import type { ReportSchedule } from "../../db/schema.js";
import type { Leases } from "../delivery/leases.js";
import type { Outbox } from "../delivery/outbox.js";
import type { MessagePayload } from "../delivery/types.js";
import { localDate, zonedTimeToInstant } from "../digest/schedule.js";
import { displayUrl } from "../feeds/canonical-url.js";
import type { Logger } from "../logger.js";
import { articleSummaries } from "../store/articles.js";
import { type Db, inTransaction } from "../store/database.js";
import {
  advanceReportSchedule,
  assignmentCounts,
  countPostedArticles,
  deleteReportSchedule,
  failingFeedsOf,
  getReportSchedule,
  listDueReportChannels,
  topArticles,
  upsertReportSchedule,
} from "../store/reports.js";
import { addDays, weekdayOf } from "./due-dates.js";
import {
  REPORT_TOP,
  type ReportArticle,
  type ReportScheduleView,
  type WeeklyReport,
} from "./types.js";

const WEEK_MS = 7 * 86_400_000;

/** What the weekly report needs. */
export interface ReportDeps {
  db: Db;
  clock: () => Date;
  outbox: Outbox;
  leases: Leases;
  logger: Logger;
  /** OPSFEED_TIMEZONE: the zone of a schedule given without one, and of on-demand reports */
  defaultTimeZone: string;
  /** the report as posted in the channel (in OPSFEED_LOCALE: the whole channel reads it) */
  render(report: WeeklyReport): MessagePayload;
}

/** The first time strictly after `after` that is `weekday` at hour:minute in the schedule's zone. */
export function nextWeeklyAt(
  schedule: { weekday: number; hour: number; minute: number; timeZone: string },
  after: Date,
): Date {
  const today = localDate(after, schedule.timeZone);
  for (let ahead = 0; ahead <= 8; ahead++) {
    const date = addDays(today, ahead);
    if (weekdayOf(date) !== schedule.weekday) continue;
    const at = zonedTimeToInstant(
      {
        year: Number(date.slice(0, 4)),
        month: Number(date.slice(5, 7)),
        day: Number(date.slice(8, 10)),
        hour: schedule.hour,
        minute: schedule.minute,
      },
      schedule.timeZone,
    );
    if (at > after) return at;
  }
  throw new Error("no weekly time within eight days");
}

/** The ISO week (`2026-W48`) of a YYYY-MM-DD date: the report's week in its idempotency key. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the year.
  const thursday = new Date(day.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function scheduleView(row: ReportSchedule): ReportScheduleView {
  return {
    weekday: row.weekday,
    hour: row.hour,
    minute: row.minute,
    timeZone: row.time_zone,
    nextAt: row.next_report_at,
  };
}

function parseParams(json: string | null): Record<string, string | number> {
  try {
    const value = JSON.parse(json ?? "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/** The weekly report: built on demand, scheduled per channel, posted once a week. */
export function createReportService(deps: ReportDeps) {
  const { db, outbox } = deps;

  /** The channel's report of the 7 days up to `to`. */
  const build = async (channelId: string, to: Date): Promise<WeeklyReport> => {
    const row = await getReportSchedule(db, channelId);
    const timeZone = row?.time_zone ?? deps.defaultTimeZone;
    const from = new Date(to.getTime() - WEEK_MS).toISOString();
    const until = to.toISOString();
    const [postedCount, saved, discussed, assignments, failing] = await Promise.all([
      countPostedArticles(db, channelId, from, until),
      topArticles(db, "read_later", channelId, from, until, REPORT_TOP),
      topArticles(db, "comments", channelId, from, until, REPORT_TOP),
      assignmentCounts(db, channelId, from, until, localDate(to, timeZone)),
      failingFeedsOf(db, channelId),
    ]);
    const summaries = await articleSummaries(db, [
      ...saved.rows.map((r) => r.articleId),
      ...discussed.rows.map((r) => r.articleId),
    ]);
    const withArticles = (rows: Array<{ articleId: number; count: number }>): ReportArticle[] =>
      rows.flatMap((r) => {
        const article = summaries.get(r.articleId);
        return article ? [{ article, count: r.count }] : [];
      });
    return {
      channelId,
      from,
      to: until,
      timeZone,
      postedCount,
      mostSaved: withArticles(saved.rows),
      savedArticles: saved.articles,
      mostDiscussed: withArticles(discussed.rows),
      discussedArticles: discussed.articles,
      assignments,
      failedFeeds: failing.map((feed) => ({
        ...feed,
        // Credentials in a feed's URL are for fetching, never shown.
        url: displayUrl(feed.url),
        errorParams: parseParams(feed.errorParams),
      })),
      schedule: row ? scheduleView(row) : null,
    };
  };

  /** Posts one channel's due report, once: holding its lease, in one transaction with the advance. */
  const postDue = async (channelId: string): Promise<boolean> => {
    const leased = await deps.leases.run(`report:${channelId}`, async () => {
      const now = deps.clock();
      const row = await getReportSchedule(db, channelId);
      if (!row || row.next_report_at > now.toISOString()) return false;
      const zone = row.time_zone;
      const key = `report:${channelId}:${isoWeek(localDate(new Date(row.next_report_at), zone))}`;
      const report = await build(channelId, now);
      const next = nextWeeklyAt({ ...row, timeZone: zone }, now).toISOString();
      const recorded = await inTransaction(db, async (trx) => {
        const moved = await advanceReportSchedule(
          trx,
          channelId,
          row.next_report_at,
          next,
          now.toISOString(),
        );
        if (!moved) return false;
        // A week already reported (the schedule was set again) is not reported twice.
        const added = await outbox.enqueue(trx, [
          {
            key,
            kind: "notice",
            channelId,
            userId: null,
            threadTs: null,
            payload: deps.render({ ...report, schedule: { ...scheduleView(row), nextAt: next } }),
          },
        ]);
        return added.length > 0;
      });
      if (recorded) await outbox.deliver(key);
      return recorded;
    });
    return leased.held && leased.value;
  };

  return {
    /** `report`: the channel's last 7 days, now. */
    show: (channelId: string): Promise<WeeklyReport> => build(channelId, deps.clock()),

    /** `report at …`: sets the weekly time; a zone left out keeps the channel's, else the default. */
    async setSchedule(
      channelId: string,
      userId: string,
      time: { weekday: number; hour: number; minute: number; timeZone: string | null },
    ): Promise<ReportScheduleView> {
      const existing = await getReportSchedule(db, channelId);
      const timeZone = time.timeZone ?? existing?.time_zone ?? deps.defaultTimeZone;
      const now = deps.clock();
      const nextAt = nextWeeklyAt({ ...time, timeZone }, now).toISOString();
      await upsertReportSchedule(
        db,
        { channelId, ...time, timeZone, nextReportAt: nextAt, createdBy: userId },
        now.toISOString(),
      );
      return { weekday: time.weekday, hour: time.hour, minute: time.minute, timeZone, nextAt };
    },

    /** `report off`: true when there was a schedule to stop. */
    disable: (channelId: string): Promise<boolean> => deleteReportSchedule(db, channelId),

    /** Posts every due weekly report, each once whichever process runs it; how many were posted. */
    async runDue(): Promise<number> {
      const channels = await listDueReportChannels(db, deps.clock().toISOString(), 100);
      let posted = 0;
      for (const channelId of channels) {
        try {
          if (await postDue(channelId)) posted++;
        } catch (error) {
          deps.logger.warn("could not post a weekly report", { channel: channelId, error });
        }
      }
      return posted;
    },
  };
}

/** The weekly report, as the composition root builds it. */
export type ReportService = ReturnType<typeof createReportService>;
