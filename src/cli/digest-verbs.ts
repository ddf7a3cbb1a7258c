import { parseArgs } from "node:util";
import { withOperatorServices } from "../wiring.js";
import { channelIdOption, cliLogger, formatDateTime, operatorSettings, type Verb } from "./verb.js";

/** `opsfeed digest --channel <id> [--dry-run]`. */
export const digest: Verb = {
  synopsis: "opsfeed digest --channel <id>",
  usage: "opsfeed digest --channel <channel-id> [--dry-run]",
  summary: "post a channel's digest now, or --dry-run",
  details: [
    "--dry-run prints the digest as Block Kit JSON and records nothing. Neither",
    "refreshes feeds first (run opsfeed poll) nor creates a missing database.",
  ],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values } = parseArgs({
      args,
      options: { channel: { type: "string" }, "dry-run": { type: "boolean", default: false } },
    });
    if (values.channel === undefined) {
      io.err(`digest: expected --channel\nusage: ${digest.usage}`);
      return 2;
    }
    const channelId = channelIdOption(values.channel, "digest", io);
    if (!channelId) return 2;
    const dryRun = values["dry-run"] === true;
    // Refused before the database is opened: posting needs the bot token.
    if (!dryRun && !settings.slackBotToken) {
      io.err("digest: SLACK_BOT_TOKEN is needed to post (or use --dry-run to print the digest)");
      return 1;
    }
    const logger = cliLogger(settings, io);
    const ignoreNotices = { record: async () => [], send: async () => {} };
    return withOperatorServices(
      settings,
      logger,
      ignoreNotices,
      async (services) => {
        if (dryRun) {
          const messages = await services.digests.preview(channelId);
          if (messages.length === 0) io.err(`digest: nothing new for ${channelId}`);
          io.out(
            JSON.stringify(
              messages.map((message) => message.payload),
              null,
              2,
            ),
          );
          return 0;
        }
        const outcome = await services.digests.post(channelId, "cli");
        switch (outcome.status) {
          case "posted":
            io.out(
              `posted digest ${outcome.digestId} to ${channelId}: ${outcome.articleCount} articles in ${outcome.messageCount} messages`,
            );
            return 0;
          case "nothing-new":
            io.out(`nothing new for ${channelId}; nothing posted`);
            return 0;
          case "failed":
            io.err(`digest ${outcome.digestId} for ${channelId} failed: ${outcome.errorCode}`);
            return 1;
          case "parked":
            io.err(
              `digest ${outcome.digestId} for ${channelId} set aside after ${outcome.attempts} refusals (${outcome.errorCode}); its articles go into the next digest`,
            );
            return 1;
          case "delayed":
            io.err(
              `digest ${outcome.digestId} for ${channelId}: part ${outcome.part} of ${outcome.parts} not posted yet (${describeDelay(outcome, settings.timeZone)}); opsfeed will finish it without posting anything twice`,
            );
            return 1;
          case "busy":
            io.err(
              `digest for ${channelId}: another opsfeed process is posting it right now; nothing posted`,
            );
            return 1;
        }
      },
      { existingOnly: true },
    );
  },
};

/** Why a digest part waits, in words for a terminal. */
function describeDelay(
  outcome: { reason: string; errorCode: string | null; retryAt: string | null },
  timeZone: string,
) {
  const when = outcome.retryAt ? `, next try at ${formatDateTime(outcome.retryAt, timeZone)}` : "";
  switch (outcome.reason) {
    case "rate-limited":
      return `Slack asked to slow down${when}`;
    case "unconfirmed":
      return `Slack did not confirm it (${outcome.errorCode ?? "no answer"}); it will be looked for before any retry${when}`;
    case "retrying":
      return `Slack refused it (${outcome.errorCode ?? "error"})${when}`;
    default:
      return "another process is sending it";
  }
}
