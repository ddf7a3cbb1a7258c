import { noArgumentsOnExistingDatabase } from "./quiet-verb.js";
import type { Verb } from "./verb.js";

/** `opsfeed index-search`. */
export const indexSearch: Verb = {
  synopsis: "opsfeed index-search",
  usage: "opsfeed index-search",
  summary: "index newly stored articles for search now",
  details: [
    "Writes what polls stored since the search indexer last ran into the search indexes, as",
    "the app does every 10 seconds (SQLite; Postgres indexes as it stores). Searches find",
    "those articles before too, only slower. Works on an existing, migrated database only.",
  ],
  run: noArgumentsOnExistingDatabase(
    "index-search",
    () => indexSearch.usage,
    async (services, _settings, io) => {
      const indexed = await services.search.indexBacklog();
      io.out(`indexed ${indexed} search documents; nothing waits now`);
      return 0;
    },
  ),
};
