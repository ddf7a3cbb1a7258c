import { parseArgs } from "node:util";
import { webApi } from "@slack/bolt";
import {
  type DigestDeps,
  postChannelDigest,
  previewChannelDigest,
} from "../digest/digest-service.js";
import { PAUSE_BETWEEN_MESSAGES_MS } from "../jobs/digests.js";
import { createLogger } from "../logger.js";
import { createDigestPoster } from "../slack/digest-poster.js";
import { renderDigestMessages } from "../slack/render/digest.js";
import { migrateToLatest, openDatabase } from "../store/database.js";
import { operatorSettings, type Verb } from "./verb.js";

/** `opsfeed digest --channel <id> [--dry-run]`. */
export const digest: Verb = {
  usage: "opsfeed digest --channel <channel-id> [--dry-run]",
  summary: "post a channel's digest now, or print it as Block Kit JSON with --dry-run",
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values } = parseArgs({
      args,
      options: { channel: { type: "string" }, "dry-run": { type: "boolean", default: false } },
    });
    const channelId = values.channel?.trim();
    if (!channelId) {
      io.err(`digest: expected --channel\nusage: ${digest.usage}`);
      return 2;
    }
    const dryRun = values["dry-run"] === true;
    if (!dryRun && !settings.slackBotToken) {
      io.err("digest: SLACK_BOT_TOKEN is needed to post (or use --dry-run to print the digest)");
      return 1;
    }
    const db = openDatabase(settings.databaseUrl);
    try {
      await migrateToLatest(db);
      const render: DigestDeps["render"] = (content, timeZone) =>
        renderDigestMessages(settings.locale, content, timeZone).map((message) => ({
          payload: { text: message.text, blocks: message.blocks, metadata: message.metadata },
          articleIds: message.articleIds,
        }));
      const clock = () => new Date();
      if (dryRun) {
        const messages = await previewChannelDigest(
          { db, clock, maxArticles: settings.digestMaxArticles, render },
          channelId,
        );
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
      const slack = new webApi.WebClient(settings.slackBotToken as string, {
        ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
      });
      const outcome = await postChannelDigest(
        {
          db,
          clock,
          logger: createLogger("warn", {}, (_level, line) => io.err(line)),
          maxArticles: settings.digestMaxArticles,
          render,
          poster: createDigestPoster(slack),
          pause: () => new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MESSAGES_MS)),
        },
        channelId,
        "cli",
      );
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
          io.err(
            `digest ${outcome.digestId} for ${channelId} failed: ${outcome.errorCode}${outcome.permanent ? "" : " (will be retried)"}`,
          );
          return 1;
      }
    } finally {
      await db.destroy();
    }
  },
};
