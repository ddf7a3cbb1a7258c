import type { types } from "@slack/bolt";

/** A message opsfeed sends: the `text` fallback is always there, blocks when richer. */
export type Reply = {
  text: string;
  blocks?: types.KnownBlock[];
};

/** Slack's limit on a section's text, in characters. */
export const MAX_SECTION_TEXT = 3000;

/** Slack's limit on blocks in one message. */
export const MAX_BLOCKS = 50;

/**
 * A reply made of mrkdwn text, split into sections at line breaks so no section passes
 * Slack's 3,000-character limit.
 */
export function textReply(text: string): Reply {
  const sections: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= MAX_SECTION_TEXT) {
      current = candidate;
      continue;
    }
    if (current) sections.push(current);
    // A single line longer than the limit is cut; nothing opsfeed writes gets there.
    current = line.slice(0, MAX_SECTION_TEXT);
  }
  if (current) sections.push(current);
  return {
    text: fallbackText(text),
    blocks: sections.slice(0, MAX_BLOCKS).map((section) => ({
      type: "section",
      text: { type: "mrkdwn", text: section },
    })),
  };
}

/** A message's `text` fallback cut to Slack's 3,000 characters; build it from escaped parts. */
export function fallbackText(text: string): string {
  return text.length <= MAX_SECTION_TEXT ? text : `${text.slice(0, MAX_SECTION_TEXT - 1)}…`;
}
