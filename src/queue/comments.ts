import type { Db } from "../store/database.js";
import type { CommentView } from "./types.js";

/** A comment to store. */
export interface CommentInput {
  articleId: number;
  userId: string;
  channelId: string | null;
  /** plain text, as the user meant it */
  text: string;
  /** identifies the Slack request, so a redelivered request does not comment twice */
  dedupeKey: string | null;
}

/** Stores a comment once; returns it and whether it is new. */
export async function addComment(
  db: Db,
  input: CommentInput,
  now: string,
): Promise<{ comment: CommentView; created: boolean }> {
  const inserted = await db
    .insertInto("comments")
    .values({
      article_id: input.articleId,
      user_id: input.userId,
      channel_id: input.channelId,
      text: input.text,
      created_at: now,
      dedupe_key: input.dedupeKey,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning(["id", "user_id", "text", "created_at"])
    .executeTakeFirst();
  if (inserted) {
    return {
      comment: {
        id: inserted.id,
        userId: inserted.user_id,
        text: inserted.text,
        createdAt: inserted.created_at,
      },
      created: true,
    };
  }
  const existing = await db
    .selectFrom("comments")
    .select(["id", "user_id", "text", "created_at"])
    .where("dedupe_key", "=", input.dedupeKey)
    .executeTakeFirstOrThrow();
  return {
    comment: {
      id: existing.id,
      userId: existing.user_id,
      text: existing.text,
      createdAt: existing.created_at,
    },
    created: false,
  };
}

/** An article's comments, oldest first. */
export async function listComments(db: Db, articleId: number): Promise<CommentView[]> {
  const rows = await db
    .selectFrom("comments")
    .select(["id", "user_id", "text", "created_at"])
    .where("article_id", "=", articleId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    text: row.text,
    createdAt: row.created_at,
  }));
}
