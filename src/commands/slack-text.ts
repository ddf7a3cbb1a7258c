/*
 * Slack's text encoding, both ways: Slack escapes `&`, `<` and `>` as entities in the text it
 * sends, and opsfeed must escape them in the text it posts. Pure: no I/O.
 */

const SLACK_ENTITY = /&(amp|lt|gt);/g;
const NEEDS_ESCAPING = /[&<>]/;
const SLACK_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

/**
 * Escapes text for Slack's mrkdwn: with `&`, `<` and `>` escaped, text from a feed or a
 * user cannot mention `@channel` or a user, or forge a link.
 */
export function escapeSlackText(text: string): string {
  // Most titles and URLs hold none of the three: three replacements found nothing.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Undoes the three entities Slack escapes in message text. */
export function unescapeSlackText(text: string): string {
  return text.replace(SLACK_ENTITY, (_whole, entity: string) => SLACK_ENTITIES[entity] ?? "");
}

/**
 * Turns text as Slack sends it in a slash command (mentions and links wrapped in `<…>`,
 * `&`, `<`, `>` escaped) into the plain text the user meant. Stored plain, it is escaped
 * again when shown, so a comment can never ping `@channel` or forge a link.
 */
export function slackTextToPlain(text: string): string {
  const unwrapped = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = "", label] = inner.split("|", 2);
    if (target.startsWith("@")) return label ? `@${label.replace(/^@/, "")}` : target;
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!subteam^")) return label ?? "@team";
    if (target.startsWith("!date^")) return label ?? "";
    if (target.startsWith("!")) return `@${target.slice(1)}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return unescapeSlackText(unwrapped);
}
