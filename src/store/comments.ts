import type { CommentView } from "../queue/types.js";
import { type Db, inTransaction } from "./database.js";
import { reindexArticles } from "./search.js";

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

const COMMENT_COLUMNS = ["id", "user_id", "channel_id", "text", "created_at"] as const;

function viewOf(row: {
  id: number;
  user_id: string;
  channel_id: string | null;
  text: string;
  created_at: string;
}): CommentView {
  return {
    id: row.id,
    userId: row.user_id,
    channelId: row.channel_id,
    text: row.text,
    createdAt: row.created_at,
  };
}

/** Stores a comment once per dedupe key; returns it and whether it is new. */
export async function insertComment(
  db: Db,
  input: CommentInput,
  now: string,
): Promise<{ comment: CommentView; created: boolean }> {
  return inTransaction(db, (trx) => insertCommentIn(trx, input, now));
}

async function insertCommentIn(
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
    .returning(COMMENT_COLUMNS)
    .executeTakeFirst();
  if (inserted) {
    // The comment is searchable, in its channel, from now on.
    await reindexArticles(db, [input.articleId]);
    return { comment: viewOf(inserted), created: true };
  }
  const existing = await db
    .selectFrom("comments")
    .select(COMMENT_COLUMNS)
    .where("dedupe_key", "=", input.dedupeKey)
    .executeTakeFirstOrThrow();
  return { comment: viewOf(existing), created: false };
}

/** An article's comments, oldest first. */
export async function listComments(db: Db, articleId: number): Promise<CommentView[]> {
  const rows = await db
    .selectFrom("comments")
    .select(COMMENT_COLUMNS)
    .where("article_id", "=", articleId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(viewOf);
}
