import type { Command } from "../../commands/parse-command.js";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import type { Services } from "../../services.js";
import type { Reply } from "../render/reply.js";

/** Who typed a command, where, and in which language to answer. */
export interface CommandContext {
  services: Services;
  userId: string;
  channelId: string;
  locale: Locale;
  logger: Logger;
  /** identifies this request (Slack's trigger id), so a redelivery is not acted on twice */
  requestId: string | null;
}

/** Handles one parsed subcommand and returns the reply the user sees. */
export type CommandHandler<N extends Command["name"]> = (
  context: CommandContext,
  command: Extract<Command, { name: N }>,
) => Promise<Reply>;

/** The handler of every subcommand, by name: the compiler insists none is missing. */
export type CommandHandlers = { [N in Command["name"]]: CommandHandler<N> };
