/**
 * Turns text as Slack sends it in a slash command (mentions and links wrapped in `<…>`,
 * `&`, `<`, `>` escaped) into the plain text the user meant. Stored plain, it is escaped
 * again when shown, so a comment can never ping `@channel` or forge a link.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const [target = "", label] = inner.split("|", 2);
      if (target.startsWith("@")) return label ? `@${label.replace(/^@/, "")}` : target;
      if (target.startsWith("#")) return label ? `#${label}` : target;
      if (target.startsWith("!subteam^")) return label ?? "@team";
      if (target.startsWith("!date^")) return label ?? "";
      if (target.startsWith("!")) return `@${target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
