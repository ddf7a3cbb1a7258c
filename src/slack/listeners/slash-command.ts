import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand } from "../../commands/parse-command.js";
import { describeParseError } from "../../commands/usage.js";
import { commandHandlers, commandScopes } from "../commands/index.js";
import type { CommandHandler } from "../commands/registry.js";
import { answerUser, type SlackContext } from "../context.js";
import { textReply } from "../render/reply.js";

/** The slash command opsfeed answers. */
export const SLASH_COMMAND = "/opsfeed";

/** Registers `/opsfeed`: ack at once, then parse, carry out and answer the user alone. */
export function registerSlashCommand(app: App, slack: SlackContext): void {
  app.command(SLASH_COMMAND, async (args) => {
    await args.ack();
    await handleSlashCommand(slack, args);
  });
}

async function handleSlashCommand(
  slack: SlackContext,
  { command, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  const reply = await answerUser(
    slack,
    command.user_id,
    { channel: command.channel_id },
    async ({ userId, locale, logger }) => {
      const parsed = parseCommand(command.text ?? "");
      logger.info("slash command", {
        subcommand: parsed.ok ? parsed.command.name : "invalid",
        error: parsed.ok ? undefined : parsed.error.code,
      });
      if (!parsed.ok) return textReply(describeParseError(locale, parsed.error));
      const { access } = slack.services;
      const scope = commandScopes[parsed.command.name];
      if (scope === "channel") await access.requireChannel(userId, command.channel_id);
      if (scope === "article") await access.refuseOutsider(userId, command.channel_id);
      const handler = commandHandlers[parsed.command.name] as CommandHandler<
        typeof parsed.command.name
      >;
      return handler(
        {
          services: slack.services,
          userId,
          channelId: command.channel_id,
          locale,
          logger,
          requestId: command.trigger_id ? `command:${command.trigger_id}` : null,
        },
        parsed.command,
      );
    },
  );
  await respond({ response_type: "ephemeral", replace_original: false, ...reply });
}
