import { unescapeSlackText } from "../commands/slack-text.js";

/*
 * The links of a Slack message, as Slack spells them: `<url>` and `<url|label>` in mrkdwn
 * text (with `&`, `<`, `>` escaped), `link` elements in rich_text blocks (what people type),
 * mrkdwn in section and context blocks (what apps post), and, for messages that carry
 * nothing else, attachments. Pure: no I/O.
 */

/** The parts of a message that can hold links (conversations.history, shortcut payloads). */
export interface SlackMessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** How deep rich text nests (lists in quotes…) before the rest is ignored. */
const MAX_DEPTH = 8;

/**
 * `<http…>` with an optional `|label`. No character class admits `<` or `>`, so every match
 * is tried from its own `<` and the scan stays linear whatever the text holds.
 */
const MRKDWN_LINK = /<(https?:\/\/[^|<>\s]+)(?:\|[^<>]*)?>/gi;

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function linksInMrkdwn(text: unknown, links: string[]): void {
  if (typeof text !== "string" || !text.includes("<")) return;
  for (const match of text.matchAll(MRKDWN_LINK)) {
    if (match[1]) links.push(unescapeSlackText(match[1]));
  }
}

/** Links of a text object (`{ type: "mrkdwn", text }`); plain_text has none. */
function linksInTextObject(value: unknown, links: string[]): void {
  const object = asRecord(value);
  if (object.type === "mrkdwn") linksInMrkdwn(object.text, links);
}

function linksInRichText(elements: unknown, links: string[], depth: number): void {
  if (!Array.isArray(elements) || depth > MAX_DEPTH) return;
  for (const value of elements) {
    const element = asRecord(value);
    if (element.type === "link" && typeof element.url === "string") links.push(element.url);
    else linksInRichText(element.elements, links, depth + 1);
  }
}

function linksInBlocks(blocks: unknown, links: string[]): void {
  if (!Array.isArray(blocks)) return;
  for (const value of blocks) {
    const block = asRecord(value);
    switch (block.type) {
      case "rich_text":
        linksInRichText(block.elements, links, 0);
        break;
      case "section":
        linksInTextObject(block.text, links);
        if (Array.isArray(block.fields))
          for (const field of block.fields) linksInTextObject(field, links);
        break;
      case "context":
        if (Array.isArray(block.elements)) {
          for (const element of block.elements) linksInTextObject(element, links);
        }
        break;
      default:
        break;
    }
  }
}

function linksInAttachments(attachments: unknown, links: string[]): void {
  if (!Array.isArray(attachments)) return;
  for (const value of attachments) {
    const attachment = asRecord(value);
    for (const key of ["title_link", "from_url", "original_url"]) {
      const url = attachment[key];
      if (typeof url === "string" && /^https?:\/\//i.test(url)) links.push(url);
    }
    for (const key of ["pretext", "text"]) linksInMrkdwn(attachment[key], links);
    linksInBlocks(attachment.blocks, links);
  }
}

/**
 * Every http(s) link of a message, in order, repeats included (the caller folds them by
 * canonical URL). Attachments count only when text and blocks have no link: for a message
 * someone typed they are Slack's previews of the same links.
 */
export function linksOfMessage(message: SlackMessageContent): string[] {
  const links: string[] = [];
  linksInMrkdwn(message.text, links);
  linksInBlocks(message.blocks, links);
  if (links.length === 0) linksInAttachments(message.attachments, links);
  return links;
}
