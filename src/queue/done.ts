import type { Db } from "../store/database.js";
import { completeAssignment } from "./assignments.js";
import type { AssignmentView } from "./types.js";

/** What marking an article done changed for the user. */
export interface DoneOutcome {
  /** it was in the user's read-later queue */
  leftQueue: boolean;
  /** the open assignment of it to the user, now completed */
  completedAssignment: AssignmentView | null;
}

/**
 * Marks an article read by a user, in one transaction: it leaves their queue, the read is
 * recorded once, and an open assignment of it to them is completed. Doing it twice is harmless.
 */
export async function markDone(
  db: Db,
  userId: string,
  articleId: number,
  now: string,
): Promise<DoneOutcome> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("read_later")
      .where("user_id", "=", userId)
      .where("article_id", "=", articleId)
      .executeTakeFirst();
    await trx
      .insertInto("article_reads")
      .values({ user_id: userId, article_id: articleId, read_at: now })
      .onConflict((oc) => oc.columns(["user_id", "article_id"]).doNothing())
      .execute();
    const completedAssignment = await completeAssignment(trx, articleId, userId, now);
    return { leftQueue: Number(removed.numDeletedRows) > 0, completedAssignment };
  });
}
