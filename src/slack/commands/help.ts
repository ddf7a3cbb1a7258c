import { usageText } from "../../commands/usage.js";
import { textReply } from "../render/reply.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed help` and a bare `/opsfeed`: the usage of every subcommand. */
export const showHelp: CommandHandler<"help"> = async ({ locale }) => textReply(usageText(locale));
