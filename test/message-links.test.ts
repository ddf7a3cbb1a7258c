import { describe, expect, it } from "vitest";
import { linksOfMessage } from "../src/slack/message-links.js";

describe("linksOfMessage", () => {
  it("reads <url> and <url|label> from text, with Slack's escapes undone", () => {
    expect(
      linksOfMessage({
        text: "see <https://a.example/x?y=1&amp;z=2> and <http://b.example|the B site>, not <@U1> or <#C1|ops> or <mailto:x@y.example|mail>",
      }),
    ).toEqual(["https://a.example/x?y=1&z=2", "http://b.example"]);
  });

  it("reads rich text links people type, and mrkdwn in apps' section and context blocks", () => {
    expect(
      linksOfMessage({
        blocks: [
          {
            type: "rich_text",
            elements: [
              {
                type: "rich_text_list",
                elements: [
                  {
                    type: "rich_text_section",
                    elements: [{ type: "link", url: "https://c.example/" }],
                  },
                ],
              },
            ],
          },
          { type: "section", text: { type: "mrkdwn", text: "*#1* <https://d.example/|D>" } },
          { type: "section", text: { type: "plain_text", text: "<https://not-a-link.example/>" } },
          { type: "context", elements: [{ type: "mrkdwn", text: "<https://e.example/>" }] },
        ],
      }),
    ).toEqual(["https://c.example/", "https://d.example/", "https://e.example/"]);
  });

  it("reads attachments only when text and blocks have no link (Slack's previews repeat them)", () => {
    const attachment = { title_link: "https://preview.example/", from_url: "https://a.example/" };
    expect(linksOfMessage({ text: "<https://a.example/>", attachments: [attachment] })).toEqual([
      "https://a.example/",
    ]);
    expect(linksOfMessage({ text: "from a feed bot", attachments: [attachment] })).toEqual([
      "https://preview.example/",
      "https://a.example/",
    ]);
  });

  it("finds nothing in a message without links, and stays linear on hostile text", () => {
    expect(linksOfMessage({ text: "lunch? <!here>" })).toEqual([]);
    const hostile = "<https://x".repeat(100_000);
    expect(linksOfMessage({ text: `${hostile} <https://last.example/>` })).toEqual([
      "https://last.example/",
    ]);
  });
});
