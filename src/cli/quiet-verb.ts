import type { OperatorSettings } from "../config/settings.js";
import type { Services } from "../services.js";
import { withOperatorServices } from "../wiring.js";
import { type CliIo, cliLogger, operatorSettings, type Verb } from "./verb.js";

/**
 * The run of a verb that takes no arguments and works on an existing, migrated database
 * without telling Slack anything (no feed notices): settings read, arguments refused with the
 * usage, then `work` with the services. Exit 1 for bad settings, 2 for arguments.
 */
export function noArgumentsOnExistingDatabase(
  name: string,
  usage: () => string,
  work: (services: Services, settings: OperatorSettings, io: CliIo) => Promise<number>,
): Verb["run"] {
  return async (args, io) => {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    if (args.length > 0) {
      io.err(`${name}: takes no arguments\nusage: ${usage()}`);
      return 2;
    }
    const ignoreNotices = { record: async () => [], send: async () => {} };
    return withOperatorServices(
      settings,
      cliLogger(settings, io),
      ignoreNotices,
      (services) => work(services, settings, io),
      { existingOnly: true },
    );
  };
}
