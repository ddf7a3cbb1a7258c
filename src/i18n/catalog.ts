import type { Locale } from "./locale.js";
import { accessMessages } from "./messages/access.js";
import { commandMessages } from "./messages/commands.js";
import { digestMessages } from "./messages/digest.js";
import { digestCommandMessages } from "./messages/digest-commands.js";
import { explainMessages } from "./messages/explain.js";
import { feedMessages } from "./messages/feeds.js";
import { feedParseMessages } from "./messages/feeds-parse.js";
import { fetchMessages } from "./messages/fetch.js";
import { generalMessages } from "./messages/general.js";
import { queueMessages } from "./messages/queue.js";
import { readerMessages } from "./messages/reader.js";
import { readingMessages } from "./messages/reading.js";
import { realtimeMessages } from "./messages/realtime.js";
import { reportMessages } from "./messages/report.js";
import { savedLinkMessages } from "./messages/saved-links.js";
import { searchMessages } from "./messages/search.js";

/**
 * The one catalog of user-facing strings. Each feature keeps its section in
 * `messages/<feature>.ts`; they are merged here so a key is typed and unique.
 */
const catalog = {
  ...generalMessages,
  ...feedParseMessages,
  ...commandMessages,
  ...fetchMessages,
  ...feedMessages,
  ...digestCommandMessages,
  ...digestMessages,
  ...readingMessages,
  ...queueMessages,
  ...accessMessages,
  ...savedLinkMessages,
  ...explainMessages,
  ...readerMessages,
  ...reportMessages,
  ...realtimeMessages,
  ...searchMessages,
};

/** A key of the message catalog. */
export type MessageKey = keyof typeof catalog;

/** Parameters substituted into a message's `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** The message for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalog[key][locale];
  // Button labels and headings have no placeholders: nothing to look for.
  if (!template.includes("{")) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Every key in the catalog, for tests that check both languages are complete. */
export function allMessageKeys(): MessageKey[] {
  return Object.keys(catalog) as MessageKey[];
}
