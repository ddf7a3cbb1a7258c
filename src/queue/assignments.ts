import type { Assignment } from "../../db/schema.js";
import { AppError } from "../errors.js";
import { articleSummaries } from "../store/articles.js";
import {
  type AssignmentInput,
  cancelAssignmentRow,
  completeOpenAssignment,
  findAssignmentId,
  getAssignment,
  listOpenAssignments,
  upsertAssignment,
} from "../store/assignments.js";
import type { Db } from "../store/database.js";
import type { AssignedLists, AssignmentView } from "./types.js";

/** Assignment rows as people see them, with their articles; rows whose article is gone drop out. */
async function viewsOf(db: Db, rows: Assignment[]): Promise<AssignmentView[]> {
  const summaries = await articleSummaries(
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
  const row = await getAssignment(db, id);
  return row ? (await viewsOf(db, [row]))[0] : undefined;
}

/**
 * Assigns an article to a teammate. Assigning the same article to the same person again
 * updates the note, due date and assigner (and reopens it) instead of adding a second one.
 */
export async function assignArticle(
  db: Db,
  input: AssignmentInput,
  now: string,
): Promise<{ assignment: AssignmentView; created: boolean }> {
  const existing = await findAssignmentId(db, input.articleId, input.assigneeId);
  const id = await upsertAssignment(db, input, now);
  const assignment = await assignmentView(db, id);
  if (!assignment) throw new Error(`assignment ${id} vanished`);
  return { assignment, created: existing === null };
}

/** Open assignments to a user, and by the user to others, oldest due first. */
export async function assignedLists(db: Db, userId: string): Promise<AssignedLists> {
  const [toMe, byMe] = await Promise.all([
    listOpenAssignments(db, "assignee_id", userId),
    listOpenAssignments(db, "assigner_id", userId),
  ]);
  return {
    toMe: await viewsOf(db, toMe),
    byMe: await viewsOf(
      db,
      byMe.filter((row) => row.assignee_id !== userId),
    ),
  };
}

/** Who assigned an article to a user, while that assignment is open; null otherwise. */
export async function findOpenAssignerId(
  db: Db,
  articleId: number,
  assigneeId: string,
): Promise<string | null> {
  const id = await findAssignmentId(db, articleId, assigneeId);
  const row = id === null ? undefined : await getAssignment(db, id);
  return row?.status === "open" ? row.assigner_id : null;
}

/** Completes the open assignment of an article to a user, if there is one. */
export async function completeAssignment(
  db: Db,
  articleId: number,
  assigneeId: string,
  now: string,
): Promise<AssignmentView | null> {
  const id = await completeOpenAssignment(db, articleId, assigneeId, now);
  return id === null ? null : ((await assignmentView(db, id)) ?? null);
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
  await cancelAssignmentRow(db, assignmentId, now);
  return { ...assignment, status: "cancelled" };
}
