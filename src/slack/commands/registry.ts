import type { Command } from "../../commands/parse-command.js";
import type { Services } from "../../services.js";
import type { UserRequest } from "../context.js";
import type { Reply } from "../render/reply.js";

/** Who typed a command, where, and in which language to answer. */
export interface CommandContext extends UserRequest {
  services: Services;
  channelId: string;
  /** identifies this request (Slack's trigger id), so a redelivery is not acted on twice */
  requestId: string | null;
}

/** Handles one parsed subcommand: one use-case call, one renderer, the reply the user sees. */
export type CommandHandler<N extends Command["name"]> = (
  context: CommandContext,
  command: Extract<Command, { name: N }>,
) => Promise<Reply>;

/** The handler of every subcommand, by name: the compiler insists none is missing. */
export type CommandHandlers = { [N in Command["name"]]: CommandHandler<N> };
