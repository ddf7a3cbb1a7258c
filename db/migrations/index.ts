import * as initial from "./0001-initial.js";
import * as digestMessagePayload from "./0002-digest-message-payload.js";
import * as delivery from "./0003-delivery.js";
import * as access from "./0004-access.js";
import * as savedLinks from "./0005-saved-links.js";
import * as followThrough from "./0006-follow-through.js";
import * as realtime from "./0007-realtime.js";
import * as search from "./0008-search.js";
import * as digestIndexes from "./0009-digest-indexes.js";
import * as retention from "./0010-retention.js";
import * as searchBacklog from "./0011-search-backlog.js";
import * as feedBodyHash from "./0012-feed-body-hash.js";
import type { DialectMigration } from "./dialect.js";

/**
 * Every migration, by name, in order. An explicit list instead of a folder scan:
 * kysely's FileMigrationProvider cannot import `.ts` files under tsx or vitest. Each is told
 * the dialect it runs on (`dialect.ts`); most ignore it.
 */
export const migrations: Record<string, DialectMigration> = {
  "0001-initial": initial,
  "0002-digest-message-payload": digestMessagePayload,
  "0003-delivery": delivery,
  "0004-access": access,
  "0005-saved-links": savedLinks,
  "0006-follow-through": followThrough,
  "0007-realtime": realtime,
  "0008-search": search,
  "0009-digest-indexes": digestIndexes,
  "0010-retention": retention,
  "0011-search-backlog": searchBacklog,
  "0012-feed-body-hash": feedBodyHash,
};
