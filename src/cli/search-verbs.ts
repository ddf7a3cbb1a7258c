import { withOperatorServices } from "../wiring.js";
import { cliLogger, operatorSettings, type Verb } from "./verb.js";

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
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    if (args.length > 0) {
      io.err(`index-search: takes no arguments\nusage: ${indexSearch.usage}`);
      return 2;
    }
    const logger = cliLogger(settings, io);
    const ignoreNotices = { record: async () => [], send: async () => {} };
    return withOperatorServices(
      settings,
      logger,
      ignoreNotices,
      async (services) => {
        const indexed = await services.search.indexBacklog();
        io.out(`indexed ${indexed} search documents; nothing waits now`);
        return 0;
      },
      { existingOnly: true },
    );
  },
};
