import type { Assignment } from "../../db/schema.js";
import { AppError } from "../errors.js";
import type { Db } from "../store/database.js";
import { summariesOf } from "./articles.js";
import type { AssignedLists, AssignmentView } from "./types.js";

/** An assignment to create or update. */
export interface AssignInput {
  articleId: number;
  assigneeId: string;
  assignerId: string;
  channelId: string | null;
  note: string | null;
  dueDate: string | null;
}

async function viewsOf(db: Db, rows: Assignment[]): Promise<AssignmentView[]> {
  const summaries = await summariesOf(
    db,
    rows.map((row) => row.article_id),
  );
  return rows.flatMap((row) => {
    const article = summaries.get(row.article_id);
    if (!article) return [];
    return [
      {
        id: row.id,
        article,
        assigneeId: row.assignee_id,
        assignerId: row.assigner_id,
        note: row.note,
        dueDate: row.due_date,
        status: row.status as AssignmentView["status"],
        createdAt: row.created_at,
      },
    ];
  });
}

/** One assignment as shown to people, or undefined. */
export async function assignmentView(db: Db, id: number): Promise<AssignmentView | undefined> {
  const row = await db
    .selectFrom("assignments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? (await viewsOf(db, [row]))[0] : undefined;
}

/**
 * Assigns an article to a teammate. Assigning the same article to the same person again
 * updates the note, due date and assigner (and reopens it) instead of adding a second one.
 */
export async function assignArticle(
  db: Db,
  input: AssignInput,
  now: string,
): Promise<{ assignment: AssignmentView; created: boolean }> {
  const existing = await db
    .selectFrom("assignments")
    .select("id")
    .where("article_id", "=", input.articleId)
    .where("assignee_id", "=", input.assigneeId)
    .executeTakeFirst();
  const changes = {
    assigner_id: input.assignerId,
    channel_id: input.channelId,
    note: input.note,
    due_date: input.dueDate,
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
  const assignment = await assignmentView(db, row.id);
  if (!assignment) throw new Error(`assignment ${row.id} vanished`);
  return { assignment, created: existing === undefined };
}

/** Open assignments to a user, and by the user to others, oldest due first. */
export async function assignedLists(db: Db, userId: string): Promise<AssignedLists> {
  const open = (column: "assignee_id" | "assigner_id") =>
    db
      .selectFrom("assignments")
      .selectAll()
      .where(column, "=", userId)
      .where("status", "=", "open")
      .orderBy("due_date")
      .orderBy("created_at")
      .execute();
  const [toMe, byMe] = await Promise.all([open("assignee_id"), open("assigner_id")]);
  return {
    toMe: await viewsOf(db, toMe),
    byMe: await viewsOf(
      db,
      byMe.filter((row) => row.assignee_id !== userId),
    ),
  };
}

/** Completes the open assignment of an article to a user, if there is one. */
export async function completeAssignment(
  db: Db,
  articleId: number,
  assigneeId: string,
  now: string,
): Promise<AssignmentView | null> {
  const row = await db
    .updateTable("assignments")
    .set({ status: "done", completed_at: now, updated_at: now })
    .where("article_id", "=", articleId)
    .where("assignee_id", "=", assigneeId)
    .where("status", "=", "open")
    .returning("id")
    .executeTakeFirst();
  return row ? ((await assignmentView(db, row.id)) ?? null) : null;
}

/** Cancels an open assignment; only its assignee or its assigner may. */
export async function cancelAssignment(
  db: Db,
  assignmentId: number,
  userId: string,
  now: string,
): Promise<AssignmentView> {
  const assignment = await assignmentView(db, assignmentId);
  if (assignment?.status !== "open") {
    throw new AppError("reading.assignment-not-open", { id: assignmentId });
  }
  if (assignment.assigneeId !== userId && assignment.assignerId !== userId) {
    throw new AppError("reading.assignment-not-yours", {});
  }
  await db
    .updateTable("assignments")
    .set({ status: "cancelled", completed_at: now, updated_at: now })
    .where("id", "=", assignmentId)
    .execute();
  return { ...assignment, status: "cancelled" };
}
