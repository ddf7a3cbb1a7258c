import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand } from "../../commands/parse-command.js";
import { describeParseError } from "../../commands/usage.js";
import type { Services } from "../../services.js";
import { commandHandlers } from "../commands/index.js";
import type { CommandContext, CommandHandler } from "../commands/registry.js";
import { errorReply } from "../render/error-reply.js";
import { type Reply, textReply } from "../render/reply.js";

/** The slash command opsfeed answers. */
export const SLASH_COMMAND = "/opsfeed";

/** Registers `/opsfeed`: ack at once, then parse, carry out and answer the user alone. */
export function registerSlashCommand(app: App, services: Services): void {
  app.command(SLASH_COMMAND, async (args) => {
    await args.ack();
    await handleSlashCommand(services, args);
  });
}

async function handleSlashCommand(
  services: Services,
  { command, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  const logger = services.logger.child({ user: command.user_id, channel: command.channel_id });
  const locale = await services.localeOf(command.user_id);
  const parsed = parseCommand(command.text ?? "");
  logger.info("slash command", {
    subcommand: parsed.ok ? parsed.command.name : "invalid",
    error: parsed.ok ? undefined : parsed.error.code,
  });
  let reply: Reply;
  if (!parsed.ok) {
    reply = textReply(describeParseError(locale, parsed.error));
  } else {
    const context: CommandContext = {
      services,
      userId: command.user_id,
      channelId: command.channel_id,
      locale,
      logger,
      requestId: command.trigger_id ? `command:${command.trigger_id}` : null,
    };
    const handler = commandHandlers[parsed.command.name] as CommandHandler<
      typeof parsed.command.name
    >;
    try {
      reply = await handler(context, parsed.command);
    } catch (error) {
      reply = errorReply(locale, error, logger);
    }
  }
  await respond({ response_type: "ephemeral", replace_original: false, ...reply });
}
