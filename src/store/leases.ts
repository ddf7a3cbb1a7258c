import type { Db } from "./database.js";

/*
 * Leases: a named piece of work (a channel's digest, a feed's poll, a message's send) held by
 * one owner until it expires. Taking one is a single atomic upsert, on SQLite and Postgres
 * alike, so two processes can never both hold it.
 */

/**
 * Takes the lease unless someone else holds it unexpired (the same `owner` may take it again);
 * true when `owner` now holds it.
 */
export async function takeLease(
  db: Db,
  name: string,
  owner: string,
  now: string,
  expiresAt: string,
): Promise<boolean> {
  const taken = await db
    .insertInto("leases")
    .values({ name, owner, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ owner, expires_at: expiresAt })
        .where((eb) => eb.or([eb("leases.expires_at", "<=", now), eb("leases.owner", "=", owner)])),
    )
    .returning("name")
    .executeTakeFirst();
  return taken !== undefined;
}

/** Extends a lease `owner` still holds; false when it was lost (expired and taken over). */
export async function renewLease(
  db: Db,
  name: string,
  owner: string,
  expiresAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable("leases")
    .set({ expires_at: expiresAt })
    .where("name", "=", name)
    .where("owner", "=", owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives a lease back, if `owner` still holds it. */
export async function releaseLease(db: Db, name: string, owner: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("owner", "=", owner).execute();
}
