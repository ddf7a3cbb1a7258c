import type { Db } from "./database.js";

/** Records that a Slack request is being acted on; false when it already was (a replay). */
export async function claimRequest(db: Db, key: string, now: string): Promise<boolean> {
  const result = await db
    .insertInto("request_claims")
    .values({ key, created_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
