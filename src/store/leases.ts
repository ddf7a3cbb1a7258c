import type { Db } from "./database.js";
import { reusableQuery } from "./reusable-query.js";

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
  const taken = await takeLeaseRow(db, { name, owner, now, expiresAt });
  return taken.length > 0;
}

const takeLeaseRow = reusableQuery(
  (db, values: { name: string; owner: string; now: string; expiresAt: string }) =>
    db
      .insertInto("leases")
      .values({ name: values.name, owner: values.owner, expires_at: values.expiresAt })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ owner: values.owner, expires_at: values.expiresAt })
          .where((eb) =>
            eb.or([
              eb("leases.expires_at", "<=", values.now),
              eb("leases.owner", "=", values.owner),
            ]),
          ),
      )
      .returning("name"),
);

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
  await deleteLeaseRow(db, { name, owner });
}

const deleteLeaseRow = reusableQuery((db, values: { name: string; owner: string }) =>
  db.deleteFrom("leases").where("name", "=", values.name).where("owner", "=", values.owner),
);
