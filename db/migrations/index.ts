import type { Migration } from "kysely";
import * as initial from "./0001-initial.js";
import * as digestMessagePayload from "./0002-digest-message-payload.js";
import * as delivery from "./0003-delivery.js";

/**
 * Every migration, by name, in order. An explicit list instead of a folder scan:
 * kysely's FileMigrationProvider cannot import `.ts` files under tsx or vitest.
 */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-digest-message-payload": digestMessagePayload,
  "0003-delivery": delivery,
};
