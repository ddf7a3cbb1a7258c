import type { Assignment } from "../../db/schema.js";
import type { Db } from "./database.js";

/** An assignment to create or update: who gives which article to whom, with what note. */
export interface AssignmentInput {
  articleId: number;
  assigneeId: string;
  assignerId: string;
  channelId: string | null;
  note: string | null;
  dueDate: string | null;
}

/** One assignment, if it exists. */
export async function getAssignment(db: Db, id: number): Promise<Assignment | undefined> {
  return db.selectFrom("assignments").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The id of the assignment of an article to a person, whatever its status. */
export async function findAssignmentId(
  db: Db,
  articleId: number,
  assigneeId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom("assignments")
    .select("id")
    .where("article_id", "=", articleId)
    .where("assignee_id", "=", assigneeId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Opens the assignment of an article to a person, or reopens and rewrites the one there is
 * (one per article and assignee); returns its id.
 */
export async function upsertAssignment(
  db: Db,
  input: AssignmentInput,
  now: string,
): Promise<number> {
  const changes = {
    assigner_id: input.assignerId,
    channel_id: input.channelId,
    note: input.note,
    due_date: input.dueDate,
    due_set_at: input.dueDate === null ? null : now,
    status: "open",
    updated_at: now,
    completed_at: null,
  };
  const row = await db
    .insertInto("assignments")
    .values({
      article_id: input.articleId,
      assignee_id: input.assigneeId,
      created_at: now,
      ...changes,
    })
    .onConflict((oc) => oc.columns(["article_id", "assignee_id"]).doUpdateSet(changes))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Open assignments where the user is the assignee (or the assigner), oldest due first. */
export async function listOpenAssignments(
  db: Db,
  role: "assignee_id" | "assigner_id",
  userId: string,
): Promise<Assignment[]> {
  // Dialect difference: Postgres sorts NULLs last, SQLite first; undated stay first, as on SQLite.
  return db
    .selectFrom("assignments")
    .selectAll()
    .where(role, "=", userId)
    .where("status", "=", "open")
    .orderBy("due_date", (ob) => ob.asc().nullsFirst())
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Completes the open assignment of an article to a user; its id, or null when there was none. */
export async function completeOpenAssignment(
  db: Db,
  articleId: number,
  assigneeId: string,
  now: string,
): Promise<number | null> {
  const row = await db
    .updateTable("assignments")
    .set({ status: "done", completed_at: now, updated_at: now })
    .where("article_id", "=", articleId)
    .where("assignee_id", "=", assigneeId)
    .where("status", "=", "open")
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The assignment of an article to a person, whatever its status. */
export async function findAssignment(
  db: Db,
  articleId: number,
  assigneeId: string,
): Promise<Assignment | undefined> {
  return db
    .selectFrom("assignments")
    .selectAll()
    .where("article_id", "=", articleId)
    .where("assignee_id", "=", assigneeId)
    .executeTakeFirst();
}

/** Records who changed an assignment, how and when. */
export async function recordAssignmentChange(
  db: Db,
  change: { assignmentId: number; actorId: string; action: string },
  now: string,
): Promise<void> {
  await db
    .insertInto("assignment_changes")
    .values({
      assignment_id: change.assignmentId,
      actor_id: change.actorId,
      action: change.action,
      created_at: now,
    })
    .execute();
}

/** An assignment's changes, oldest first. */
export async function listAssignmentChanges(
  db: Db,
  assignmentId: number,
): Promise<Array<{ actorId: string; action: string; at: string }>> {
  const rows = await db
    .selectFrom("assignment_changes")
    .select(["actor_id", "action", "created_at"])
    .where("assignment_id", "=", assignmentId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ actorId: row.actor_id, action: row.action, at: row.created_at }));
}

/** Closes an assignment as cancelled. */
export async function cancelAssignmentRow(db: Db, id: number, now: string): Promise<void> {
  await db
    .updateTable("assignments")
    .set({ status: "cancelled", completed_at: now, updated_at: now })
    .where("id", "=", id)
    .execute();
}

/** Moves an open assignment's due date (a snooze); false when it is no longer open. */
export async function moveDueDate(
  db: Db,
  id: number,
  dueDate: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .updateTable("assignments")
    .set({ due_date: dueDate, due_set_at: now, updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "open")
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}
