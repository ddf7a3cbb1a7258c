import { escapeSlackText } from "../../commands/slack-text.js";

// The one Slack escape lives with its inverse; renderers import it from here with the rest.
export { escapeSlackText };

/** A host name label: lower-case letters, digits and inner hyphens. */
const LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";

/**
 * An http(s) URL the WHATWG parser gives back unchanged: a lower-case host name whose last
 * label starts with a letter (a numeric one would be read as an IPv4 address), no port or
 * credentials, and after the first `/` only characters it neither encodes nor rewrites (no
 * `|`, `<`, `>`, `'`, quotes, spaces, backslashes or non-ASCII), with no `.` or `..` segment,
 * written out or percent-encoded.
 */
const PLAIN_HTTP_URL = new RegExp(
  `^https?://(?:${LABEL}\\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?(?=/)` +
    "(?![^?#]*/\\.\\.?(?:[/?#]|$))(?!.*%2[eE])[A-Za-z0-9\\-._~!$&()*+,;=:@/?#%]*$",
);

/**
 * A URL fit for a `<url|label>` link: only http(s), `|` percent-encoded so it cannot end the
 * link early, and `&` escaped as Slack requires. Anything else yields null.
 */
export function safeLinkUrl(url: string): string | null {
  // Already in the form the URL parser writes (as stored articles' URLs are): parsing it
  // would give back the same string, so it is not parsed again for every digest line.
  if (PLAIN_HTTP_URL.test(url)) return escapeSlackText(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  // WHATWG URL already percent-encodes < and > in every part of href.
  return escapeSlackText(parsed.href.replace(/\|/g, "%7C"));
}

/** A Slack date token: shown in each reader's own time zone, with `fallback` for old clients. */
export function slackDate(iso: string, format = "{date_short_pretty} {time}"): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^${format}|${iso.replace("T", " ").slice(0, 16)} UTC>`;
}

/** Longest URL still shown as a link; a longer one leaves its label as plain text. */
export const MAX_LINK_URL = 1000;

/** A URL fit for a `<url|label>` link and not absurdly long, or null. */
export function linkableUrl(url: string): string | null {
  const safe = safeLinkUrl(url);
  return safe !== null && safe.length <= MAX_LINK_URL ? safe : null;
}

/** `text` escaped for mrkdwn in at most `max` characters. */
export function shortenEscaped(text: string, max: number): string {
  return shorten(text, max, escapeSlackText);
}

/** Plain text in at most `max` characters. */
export function shortenPlain(text: string, max: number): string {
  return shorten(text, max, (character) => character);
}

/**
 * `text` encoded, in at most `max` characters, cut with "…" when longer. It is cut a code
 * point at a time before encoding, so neither an entity such as `&amp;` nor an emoji is split.
 */
export function shorten(text: string, max: number, encode: (text: string) => string): string {
  const encoded = encode(text);
  if (encoded.length <= max) return encoded;
  let kept = "";
  for (const character of text) {
    const next = encode(character);
    if (kept.length + next.length > max - 1) break;
    kept += next;
  }
  return `${kept}…`;
}

/** A trusted Slack user id, safe to render as a mention. */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** True when `id` looks like a Slack user id (U… or W…). */
export function isSlackUserId(id: string): boolean {
  return SLACK_USER_ID.test(id);
}

/** A mention for a Slack user id; anything that is not one is shown escaped, never as markup. */
export function mention(userId: string): string {
  return isSlackUserId(userId) ? `<@${userId}>` : escapeSlackText(userId);
}

/** User text as a mrkdwn quote: escaped, every line marked `>`, in at most `max` characters. */
export function quote(text: string, max: number): string {
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  const encode = (part: string) => escapeSlackText(part).replace(/\n/g, "\n> ");
  return `> ${shorten(normalized, max - 2, encode)}`;
}
