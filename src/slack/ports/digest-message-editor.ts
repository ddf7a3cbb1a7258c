import type { types, webApi } from "@slack/bolt";
import type { DigestMessageEditor } from "../../digest/line-refresher.js";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import { renderActivityBlock, withBookmarkCount } from "../render/digest.js";
import { bestEffort } from "./reading-notifier.js";

/**
 * Edits a posted digest message with `chat.update`: the claimed message is the base, and
 * each article's team-activity line goes right under its text.
 */
export function createDigestMessageEditor(
  slack: webApi.WebClient,
  logger: Logger,
  locale: Locale,
): DigestMessageEditor {
  return async ({ channelId, ts, payload, activity, bookmarkCounts }) => {
    const base = payload as { text: string; blocks: types.KnownBlock[] };
    const blocks: types.KnownBlock[] = [];
    for (const block of base.blocks) {
      if (block.block_id?.endsWith("-activity")) continue;
      const match = /^article-(\d+)-text$/.exec(block.block_id ?? "");
      const count = match ? bookmarkCounts?.get(Number(match[1])) : undefined;
      blocks.push(
        count !== undefined && count !== null && block.type === "section" && block.text
          ? {
              ...block,
              text: { ...block.text, text: withBookmarkCount(locale, block.text.text, count) },
            }
          : block,
      );
      const articleActivity = match ? activity.get(Number(match[1])) : undefined;
      if (match && articleActivity) {
        const line = renderActivityBlock(locale, Number(match[1]), articleActivity);
        if (line) blocks.push(line);
      }
    }
    const updated = await bestEffort(
      logger,
      "update a digest message",
      { channel: channelId },
      async () => {
        await slack.chat.update({ channel: channelId, ts, text: base.text, blocks });
      },
    );
    if (updated) logger.info("digest line updated", { channel: channelId, ts });
    return updated;
  };
}
