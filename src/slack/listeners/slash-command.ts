import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { type ParseResult, parseCommand } from "../../commands/parse-command.js";
import { describeParseError, usageText } from "../../commands/usage.js";
import type { Locale } from "../../i18n/locale.js";
import { commandHandlers, commandScopes } from "../commands/index.js";
import type { CommandHandler } from "../commands/registry.js";
import { answerUser, type SlackContext } from "../context.js";
import { type Reply, textReply } from "../render/reply.js";
import { ackSerialized, type SerializedReply, serializedReply } from "../serialized-ack.js";

type EphemeralReply = Reply & { response_type: "ephemeral" };

/** The slash command opsfeed answers. */
export const SLASH_COMMAND = "/opsfeed";

/**
 * Registers `/opsfeed`. Help and mistakes are answered in the ack itself when the user's
 * language is already known (no Slack call, no response_url round trip); everything else, and
 * a user whose language is not known yet, is acked at once, then carried out and answered
 * through response_url, to the user alone.
 */
export function registerSlashCommand(app: App, slack: SlackContext): void {
  // The help is the same text for every request in a language: built once per language.
  const helpReplies = new Map<Locale, SerializedReply<EphemeralReply>>();
  const helpReply = (locale: Locale) => {
    let reply = helpReplies.get(locale);
    if (!reply) {
      reply = serializedReply({ response_type: "ephemeral", ...textReply(usageText(locale)) });
      helpReplies.set(locale, reply);
    }
    return reply;
  };
  // Taken in a global middleware, ahead of Bolt's listeners: Bolt runs every listener's
  // matchers (copying the request's arguments each time) for every request, and none of the
  // two dozen action, view and event listeners ever takes a command.
  app.use(async (middlewareArgs) => {
    if ((middlewareArgs.body as { command?: unknown }).command !== SLASH_COMMAND) {
      await middlewareArgs.next();
      return;
    }
    const args = middlewareArgs as unknown as SlackCommandMiddlewareArgs;
    const { command } = args;
    const parsed = parseQuietly(command.text ?? "");
    const quick = parsed !== null && (parsed.ok ? parsed.command.name === "help" : true);
    const locale = quick ? slack.directory.knownLocaleOf(command.user_id) : undefined;
    if (parsed !== null && locale !== undefined) {
      logCommand(slack, command, parsed);
      if (parsed.ok) {
        await ackSerialized(args.ack, middlewareArgs.context, helpReply(locale));
      } else {
        const reply = textReply(describeParseError(locale, parsed.error));
        await args.ack({ response_type: "ephemeral", ...reply });
      }
      return;
    }
    await args.ack();
    await handleSlashCommand(slack, args, parsed);
  });
}

/** The parsed command, or null if the parser broke (the slow path then reports it in words). */
function parseQuietly(text: string): ParseResult | null {
  try {
    return parseCommand(text);
  } catch {
    return null;
  }
}

/** The one info line per command: who, where, which subcommand or which mistake. */
function logCommand(
  slack: SlackContext,
  command: SlackCommandMiddlewareArgs["command"],
  parsed: ParseResult,
): void {
  slack.logger.info("slash command", {
    user: command.user_id,
    channel: command.channel_id,
    subcommand: parsed.ok ? parsed.command.name : "invalid",
    error: parsed.ok ? undefined : parsed.error.code,
  });
}

async function handleSlashCommand(
  slack: SlackContext,
  { command, respond }: SlackCommandMiddlewareArgs,
  parsedEarlier: ParseResult | null,
): Promise<void> {
  const reply = await answerUser(
    slack,
    command.user_id,
    { channel: command.channel_id },
    async ({ userId, locale, logger }) => {
      // Parsed again here only if it threw: the error then becomes the usual reply.
      const parsed = parsedEarlier ?? parseCommand(command.text ?? "");
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
