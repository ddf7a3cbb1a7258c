import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Following work through (issue 12):
 * - `assignments.due_set_at`: when the due date was last set (assigned, updated, snoozed). A
 *   reminder whose time had passed before then is not sent (assigning something due today at
 *   noon does not remind at once). Existing assignments count as set now, so upgrading does
 *   not send reminders for times that passed before opsfeed had reminders.
 * - `reminders`: the reminders recorded for an assignment's due date (1: 09:00 on the due day,
 *   2: 09:00 the next day), each once, in the same transaction as its outbox message.
 * - `report_schedules`: a channel's weekly report time (weekday, HH:MM, IANA zone) and when
 *   it is next due.
 * Text timestamps and integer flags, so the SQL is the same on SQLite and Postgres.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("assignments").addColumn("due_set_at", "text").execute();
  await db
    .updateTable("assignments")
    .set({ due_set_at: new Date().toISOString() })
    .where("due_date", "is not", null)
    .execute();

  await db.schema
    .createTable("reminders")
    .addColumn("assignment_id", "integer", (c) =>
      c.notNull().references("assignments.id").onDelete("cascade"),
    )
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("outbox_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminders_pk", ["assignment_id", "due_date", "number"])
    .execute();

  await db.schema
    .createTable("report_schedules")
    .addColumn("channel_id", "text", (c) => c.primaryKey())
    .addColumn("weekday", "integer", (c) => c.notNull())
    .addColumn("hour", "integer", (c) => c.notNull())
    .addColumn("minute", "integer", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("next_report_at", "text", (c) => c.notNull())
    .addColumn("last_report_at", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("report_schedules_due")
    .on("report_schedules")
    .column("next_report_at")
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("report_schedules").execute();
  await db.schema.dropTable("reminders").execute();
  await db.schema.alterTable("assignments").dropColumn("due_set_at").execute();
}
