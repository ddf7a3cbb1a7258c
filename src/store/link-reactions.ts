import type { Db } from "./database.js";

/*
 * Save reactions: the latest state of each user's reaction on each message, and the articles
 * it put in their queue, so removing the reaction takes out exactly those.
 */

/** One user's reaction on one message. */
export interface ReactionKey {
  userId: string;
  channelId: string;
  messageTs: string;
}

/**
 * Records that the reaction was added or removed by the event at `eventTs`, unless an event
 * at least as recent already said so; true when it was recorded. Event timestamps are
 * "seconds.micros" of equal length, so they compare as text.
 */
export async function recordReactionChange(
  db: Db,
  key: ReactionKey,
  change: { state: "added" | "removed"; eventTs: string },
  now: string,
): Promise<boolean> {
  const result = await db
    .insertInto("link_reactions")
    .values({
      user_id: key.userId,
      channel_id: key.channelId,
      message_ts: key.messageTs,
      state: change.state,
      event_ts: change.eventTs,
      thread_ts: null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["user_id", "channel_id", "message_ts"])
        .doUpdateSet({ state: change.state, event_ts: change.eventTs, updated_at: now })
        .where("link_reactions.event_ts", "<", change.eventTs),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Confirms, inside the transaction that saves what the reaction asks for, that it still
 * stands: added, by the event at `eventTs` when given. The update locks the row, so a removal
 * arriving meanwhile waits for the save and then takes its articles out. Records the thread.
 */
export async function holdAddedReaction(
  db: Db,
  key: ReactionKey,
  eventTs: string | null,
  threadTs: string | null,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("link_reactions")
    .set({ updated_at: now, ...(threadTs ? { thread_ts: threadTs } : {}) })
    .where("user_id", "=", key.userId)
    .where("channel_id", "=", key.channelId)
    .where("message_ts", "=", key.messageTs)
    .where("state", "=", "added")
    .$if(eventTs !== null, (qb) => qb.where("event_ts", "=", eventTs as string))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Notes that the reaction put this article in the user's queue. */
export async function insertReactionArticle(
  db: Db,
  key: ReactionKey,
  articleId: number,
  now: string,
): Promise<void> {
  await db
    .insertInto("link_reaction_articles")
    .values({
      user_id: key.userId,
      channel_id: key.channelId,
      message_ts: key.messageTs,
      article_id: articleId,
      saved_at: now,
    })
    .onConflict((oc) =>
      oc.columns(["user_id", "channel_id", "message_ts", "article_id"]).doNothing(),
    )
    .execute();
}

/** The articles the reaction put in the queue, forgotten as they are returned; and its thread. */
export async function takeReactionArticles(
  db: Db,
  key: ReactionKey,
): Promise<{ articleIds: number[]; threadTs: string | null }> {
  const rows = await db
    .selectFrom("link_reaction_articles")
    .select("article_id")
    .where("user_id", "=", key.userId)
    .where("channel_id", "=", key.channelId)
    .where("message_ts", "=", key.messageTs)
    .orderBy("saved_at")
    .orderBy("article_id")
    .execute();
  await db
    .deleteFrom("link_reaction_articles")
    .where("user_id", "=", key.userId)
    .where("channel_id", "=", key.channelId)
    .where("message_ts", "=", key.messageTs)
    .execute();
  const reaction = await db
    .selectFrom("link_reactions")
    .select("thread_ts")
    .where("user_id", "=", key.userId)
    .where("channel_id", "=", key.channelId)
    .where("message_ts", "=", key.messageTs)
    .executeTakeFirst();
  return { articleIds: rows.map((row) => row.article_id), threadTs: reaction?.thread_ts ?? null };
}
