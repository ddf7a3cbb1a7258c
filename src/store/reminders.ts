import type { Assignment } from "../../db/schema.js";
import type { Db } from "./database.js";

/** Open assignments due between two dates (YYYY-MM-DD, both included), oldest due first. */
export async function listOpenDueBetween(
  db: Db,
  fromDate: string,
  toDate: string,
): Promise<Assignment[]> {
  return db
    .selectFrom("assignments")
    .selectAll()
    .where("status", "=", "open")
    .where("due_date", ">=", fromDate)
    .where("due_date", "<=", toDate)
    .orderBy("due_date")
    .orderBy("id")
    .execute();
}

/** Records a reminder once; false when it was recorded before (by this process or another). */
export async function insertReminder(
  db: Db,
  reminder: { assignmentId: number; dueDate: string; number: number; outboxKey: string },
  now: string,
): Promise<boolean> {
  const row = await db
    .insertInto("reminders")
    .values({
      assignment_id: reminder.assignmentId,
      due_date: reminder.dueDate,
      number: reminder.number,
      outbox_key: reminder.outboxKey,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["assignment_id", "due_date", "number"]).doNothing())
    .returning("outbox_key")
    .executeTakeFirst();
  return row !== undefined;
}
