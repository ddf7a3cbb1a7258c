import type { types } from "@slack/bolt";
import { shortenPlain } from "./escape.js";

type KnownBlock = types.KnownBlock;

/** Slack's limit on a button's label. */
export const MAX_BUTTON_TEXT = 75;

/** Slack's limit on a header block's text. */
const MAX_HEADER_TEXT = 150;

/** A plain_text element (emoji allowed). */
export function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

/** A mrkdwn text element. */
export function mrkdwn(text: string): types.MrkdwnElement {
  return { type: "mrkdwn", text };
}

/** A section block of mrkdwn text. */
export function section(blockId: string, text: string): KnownBlock {
  return { type: "section", block_id: blockId, text: mrkdwn(text) };
}

/** A header block, its text cut to Slack's limit. */
export function header(blockId: string, text: string): KnownBlock {
  return { type: "header", block_id: blockId, text: plain(shortenPlain(text, MAX_HEADER_TEXT)) };
}

/** A context block of one mrkdwn line. */
export function context(blockId: string, text: string): KnownBlock {
  return { type: "context", block_id: blockId, elements: [mrkdwn(text)] };
}

/** A button whose label is cut to Slack's limit. */
export function button(actionId: string, label: string, value: string | number): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: plain(shortenPlain(label, MAX_BUTTON_TEXT)),
    value: String(value),
  };
}

/** The items with any repeat left out: Slack refuses a message whose block_ids repeat. */
export function uniqueBy<T>(items: T[], key: (item: T) => number): T[] {
  const seen = new Set<number>();
  return items.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
