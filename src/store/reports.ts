import type { ReportSchedule } from "../../db/schema.js";
import type { Db } from "./database.js";

/*
 * The weekly report: its schedule per channel, and the numbers of one channel's week. Every
 * list counts only articles that reached the channel (`article_channels`): a save typed in a
 * channel reached nobody, so the channel's report never names it.
 */

/** A channel's report schedule, if it has one. */
export async function getReportSchedule(
  db: Db,
  channelId: string,
): Promise<ReportSchedule | undefined> {
  return db
    .selectFrom("report_schedules")
    .selectAll()
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
}

/** Sets (or replaces) a channel's report schedule. */
export async function upsertReportSchedule(
  db: Db,
  schedule: {
    channelId: string;
    weekday: number;
    hour: number;
    minute: number;
    timeZone: string;
    nextReportAt: string;
    createdBy: string;
  },
  now: string,
): Promise<void> {
  const changes = {
    weekday: schedule.weekday,
    hour: schedule.hour,
    minute: schedule.minute,
    time_zone: schedule.timeZone,
    next_report_at: schedule.nextReportAt,
    created_by: schedule.createdBy,
    updated_at: now,
  };
  await db
    .insertInto("report_schedules")
    .values({ channel_id: schedule.channelId, created_at: now, ...changes })
    .onConflict((oc) => oc.column("channel_id").doUpdateSet(changes))
    .execute();
}

/** Removes a channel's report schedule; true when it had one. */
export async function deleteReportSchedule(db: Db, channelId: string): Promise<boolean> {
  const rows = await db
    .deleteFrom("report_schedules")
    .where("channel_id", "=", channelId)
    .returning("channel_id")
    .execute();
  return rows.length > 0;
}

/** Channels whose report is due at `now`, earliest first. */
export async function listDueReportChannels(db: Db, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("report_schedules")
    .select("channel_id")
    .where("next_report_at", "<=", now)
    .orderBy("next_report_at")
    .orderBy("channel_id")
    .limit(limit)
    .execute();
  return rows.map((row) => row.channel_id);
}

/** Moves a due report on to its next time, if nobody else did; true when this call did. */
export async function advanceReportSchedule(
  db: Db,
  channelId: string,
  expected: string,
  next: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .updateTable("report_schedules")
    .set({ next_report_at: next, last_report_at: now, updated_at: now })
    .where("channel_id", "=", channelId)
    .where("next_report_at", "=", expected)
    .returning("channel_id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Articles the channel was shown by its digests and realtime posts in [from, to). */
export async function countPostedArticles(
  db: Db,
  channelId: string,
  from: string,
  to: string,
): Promise<number> {
  const [digested, realtime] = await Promise.all([
    db
      .selectFrom("digest_articles as da")
      .innerJoin("digests as d", "d.id", "da.digest_id")
      .select("da.article_id")
      .where("da.channel_id", "=", channelId)
      .where("d.status", "=", "posted")
      .where("d.posted_at", ">=", from)
      .where("d.posted_at", "<", to)
      .execute(),
    db
      .selectFrom("article_channels")
      .select("article_id")
      .where("channel_id", "=", channelId)
      .where("via", "=", "realtime")
      .where("first_at", ">=", from)
      .where("first_at", "<", to)
      .execute(),
  ]);
  return new Set([...digested, ...realtime].map((row) => row.article_id)).size;
}

/** The articles of the channel most saved (or commented on) from it in [from, to), with counts. */
export async function topArticles(
  db: Db,
  table: "read_later" | "comments",
  channelId: string,
  from: string,
  to: string,
  limit: number,
): Promise<{ rows: Array<{ articleId: number; count: number }>; articles: number }> {
  const rows =
    table === "read_later"
      ? await db
          .selectFrom("read_later as x")
          .innerJoin("article_channels as ac", (join) =>
            join.onRef("ac.article_id", "=", "x.article_id").on("ac.channel_id", "=", channelId),
          )
          .select(["x.article_id", (eb) => eb.fn.countAll<number | string>().as("n")])
          .where("x.channel_id", "=", channelId)
          .where("x.saved_at", ">=", from)
          .where("x.saved_at", "<", to)
          .groupBy("x.article_id")
          .execute()
      : await db
          .selectFrom("comments as x")
          .innerJoin("article_channels as ac", (join) =>
            join.onRef("ac.article_id", "=", "x.article_id").on("ac.channel_id", "=", channelId),
          )
          .select(["x.article_id", (eb) => eb.fn.countAll<number | string>().as("n")])
          .where("x.channel_id", "=", channelId)
          .where("x.created_at", ">=", from)
          .where("x.created_at", "<", to)
          .groupBy("x.article_id")
          .execute();
  // Dialect difference: pg counts are strings; sorted here so ties break the same way.
  const counted = rows
    .map((row) => ({ articleId: row.article_id, count: Number(row.n) }))
    .sort((a, b) => b.count - a.count || a.articleId - b.articleId);
  return { rows: counted.slice(0, limit), articles: counted.length };
}

/** Assignments of the channel's articles made there: opened and done in [from, to), overdue now. */
export async function assignmentCounts(
  db: Db,
  channelId: string,
  from: string,
  to: string,
  today: string,
): Promise<{ opened: number; done: number; overdue: number }> {
  const base = () =>
    db
      .selectFrom("assignments as a")
      .innerJoin("article_channels as ac", (join) =>
        join.onRef("ac.article_id", "=", "a.article_id").on("ac.channel_id", "=", channelId),
      )
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("a.channel_id", "=", channelId);
  const [opened, done, overdue] = await Promise.all([
    base().where("a.created_at", ">=", from).where("a.created_at", "<", to).executeTakeFirst(),
    base()
      .where("a.status", "=", "done")
      .where("a.completed_at", ">=", from)
      .where("a.completed_at", "<", to)
      .executeTakeFirst(),
    base().where("a.status", "=", "open").where("a.due_date", "<", today).executeTakeFirst(),
  ]);
  return {
    opened: Number(opened?.n ?? 0),
    done: Number(done?.n ?? 0),
    overdue: Number(overdue?.n ?? 0),
  };
}

/** The channel's feeds that are failing now, longest failing first. */
export async function failingFeedsOf(
  db: Db,
  channelId: string,
): Promise<
  Array<{
    title: string;
    url: string;
    errorCode: string;
    errorParams: string | null;
    failures: number;
    failingSince: string | null;
  }>
> {
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("feeds as f", "f.id", "s.feed_id")
    .select([
      "f.id",
      "f.title",
      "f.url",
      "f.last_error_code",
      "f.last_error_params",
      "f.consecutive_failures",
      "f.failing_since",
    ])
    .where("s.channel_id", "=", channelId)
    .where("f.last_error_code", "is not", null)
    .orderBy("f.id")
    .execute();
  const unique = new Map(rows.map((row) => [row.id, row]));
  return [...unique.values()]
    .map((row) => ({
      title: row.title,
      url: row.url,
      errorCode: row.last_error_code ?? "",
      errorParams: row.last_error_params,
      failures: row.consecutive_failures,
      failingSince: row.failing_since,
    }))
    .sort((a, b) => (a.failingSince ?? "").localeCompare(b.failingSince ?? ""));
}
