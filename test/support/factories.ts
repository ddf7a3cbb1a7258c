import { ARTICLE_ACTIONS, DIGEST_METADATA_EVENT } from "../../src/slack/ids.js";
import type { StoredMessage } from "./fake-slack.js";
import type { FeedRoute } from "./feed-server.js";

/** A JSON Feed route with these items, each linking to https://articles.example/<id>. */
export function jsonFeed(title: string, items: Array<{ id: string; title: string }>): FeedRoute {
  return {
    body: JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title,
      items: items.map((item) => ({
        id: item.id,
        url: `https://articles.example/${item.id}`,
        title: item.title,
        date_published: "2026-11-24T00:00:00Z",
      })),
    }),
    contentType: "application/feed+json",
  };
}

/** `count` items with long titles, so that a digest of them takes several messages. */
export function manyItems(count: number, prefix = "n"): Array<{ id: string; title: string }> {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    title: `Incident review ${prefix}${i} ${"long title ".repeat(20)}`,
  }));
}

/** The digest messages among a channel's messages (tagged with digest metadata). */
export function digestPosts(messages: StoredMessage[]): StoredMessage[] {
  return messages.filter(
    (message) =>
      (message.metadata as { event_type?: string } | undefined)?.event_type ===
      DIGEST_METADATA_EVENT,
  );
}

/** The article ids under the Done buttons of these digest messages, in order. */
export function digestArticleIds(messages: StoredMessage[]): number[] {
  return digestPosts(messages).flatMap((message) =>
    (
      (message.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id?: string; value?: string }>;
      }>
    )
      .filter((block) => block.type === "actions")
      .map((block) =>
        Number(block.elements?.find((e) => e.action_id === ARTICLE_ACTIONS.done)?.value),
      ),
  );
}

/**
 * A message someone typed with these links, as Slack stores it: the text with each link as
 * `<url>` (`&` escaped), and the rich_text block Slack's composer sends with the same links.
 */
export function typedMessage(words: string, links: string[]): { text: string; blocks: unknown[] } {
  const slackEscaped = (url: string) => url.replace(/&/g, "&amp;");
  const text = [words, ...links.map((url) => `<${slackEscaped(url)}>`)].join(" ");
  const elements: unknown[] = [{ type: "text", text: `${words} ` }];
  for (const url of links) elements.push({ type: "link", url }, { type: "text", text: " " });
  return {
    text,
    blocks: [
      {
        type: "rich_text",
        block_id: "typed",
        elements: [{ type: "rich_text_section", elements }],
      },
    ],
  };
}
