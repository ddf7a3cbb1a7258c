import { noArgumentsOnExistingDatabase } from "./quiet-verb.js";
import { formatDateTime, type Verb } from "./verb.js";

/** `opsfeed prune`. */
export const prune: Verb = {
  synopsis: "opsfeed prune",
  usage: "opsfeed prune",
  summary: "prune old articles and payloads now",
  details: [
    "Deletes old articles nothing keeps and clears old sent messages' payloads, as the",
    "daily prune does. Works on an existing, migrated database only.",
  ],
  run: noArgumentsOnExistingDatabase(
    "prune",
    () => prune.usage,
    async (services, settings, io) => {
      const summary = await services.retention.prune();
      switch (summary.status) {
        case "disabled":
          io.out("OPSFEED_RETENTION_DAYS is 0: everything is kept, nothing pruned");
          return 0;
        case "busy":
          io.err("prune: another opsfeed process is pruning now; nothing done");
          return 1;
        case "pruned":
          io.out(
            `pruned what is older than ${formatDateTime(summary.before ?? "", settings.timeZone)}: ${summary.articles} articles deleted, ${summary.payloads} message payloads cleared`,
          );
          return 0;
      }
    },
  ),
};
