import type { Logger } from "../logger.js";
import type { Db } from "../store/database.js";
import { releaseLease, renewLease, takeLease } from "../store/leases.js";

/** How long a lease lasts unless renewed: a holder killed mid-work blocks others this long. */
export const LEASE_TTL_MS = 20_000;

/** How often `waitFor` looks again whether a busy lease has been given back. */
const LEASE_POLL_MS = 100;

/** The outcome of work under a lease: its value, or that someone else holds the lease. */
export type Leased<T> = { held: true; value: T } | { held: false };

/** Named leases in the database, shared by every opsfeed process on it. */
export interface Leases {
  /** this process's owner id */
  readonly owner: string;
  /** runs `work` holding the lease (renewed while it runs), or reports it busy at once */
  run<T>(name: string, work: () => Promise<T>): Promise<Leased<T>>;
  /** like `run`, but waits up to `waitMs` for a busy lease to be given back */
  waitFor<T>(name: string, waitMs: number, work: () => Promise<T>): Promise<Leased<T>>;
}

/**
 * Creates the leases of one process. A lease is a row with an owner and an expiry, taken
 * atomically, renewed every third of its life while the work runs, given back when it ends,
 * and taken over by another process only once it expired (its holder was killed).
 */
export function createLeases(deps: {
  db: Db;
  owner: string;
  clock: () => Date;
  logger: Logger;
  ttlMs?: number;
}): Leases {
  const ttlMs = deps.ttlMs ?? LEASE_TTL_MS;
  const expiry = () => new Date(deps.clock().getTime() + ttlMs).toISOString();
  let taken = 0;

  // Each taking gets its own holder id: two requests of one process exclude each other too.
  const take = async (name: string): Promise<string | null> => {
    const holder = `${deps.owner}#${++taken}`;
    const held = await takeLease(deps.db, name, holder, deps.clock().toISOString(), expiry());
    return held ? holder : null;
  };

  const holding = async <T>(
    name: string,
    holder: string,
    work: () => Promise<T>,
  ): Promise<Leased<T>> => {
    const renewal = setInterval(() => {
      renewLease(deps.db, name, holder, expiry())
        .then((kept) => {
          if (!kept) deps.logger.warn("lost a lease while working", { lease: name });
        })
        .catch((error) => deps.logger.warn("could not renew a lease", { lease: name, error }));
    }, ttlMs / 3);
    renewal.unref();
    try {
      return { held: true, value: await work() };
    } finally {
      clearInterval(renewal);
      await releaseLease(deps.db, name, holder).catch((error) =>
        deps.logger.warn("could not release a lease", { lease: name, error }),
      );
    }
  };

  return {
    owner: deps.owner,
    async run(name, work) {
      const holder = await take(name);
      return holder ? holding(name, holder, work) : { held: false };
    },
    async waitFor(name, waitMs, work) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const holder = await take(name);
        if (holder) return holding(name, holder, work);
        if (Date.now() >= deadline) return { held: false };
        await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
      }
    },
  };
}
