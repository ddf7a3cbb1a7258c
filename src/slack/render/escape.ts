/**
 * Escapes text for Slack's mrkdwn: with `&`, `<` and `>` escaped, text from a feed or a
 * user cannot mention `@channel` or a user, or forge a link.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A URL fit for a `<url|label>` link: only http(s), `|` percent-encoded so it cannot end the
 * link early, and `&` escaped as Slack requires. Anything else yields null.
 */
export function safeLinkUrl(url: string): string | null {
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
