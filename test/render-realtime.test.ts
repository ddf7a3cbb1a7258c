import { describe, expect, it } from "vitest";
import type { RealtimeArticle } from "../src/realtime/types.js";
import {
  incidentState,
  renderRealtimePost,
  renderRealtimeUpdate,
} from "../src/slack/render/realtime-post.js";

function article(overrides: Partial<RealtimeArticle> = {}): RealtimeArticle {
  return {
    articleId: 42,
    title: "Increased API error rates in ap-northeast-1",
    url: "https://status.cloud.example/incidents/2026-11-25-api",
    summary: "Investigating - We are investigating elevated error rates.",
    source: "Example Cloud Status",
    publishedAt: "2026-11-25T10:01:00Z",
    revision: 0,
    ...overrides,
  };
}

type Block = { type: string; text?: { text: string }; elements?: unknown[] };

describe("realtime posts", () => {
  it.each(["en", "ja"] as const)(
    "renders a post with its mention, state and buttons in %s",
    (locale) => {
      expect(renderRealtimePost(locale, article(), "<!subteam^S0SRE>")).toMatchSnapshot();
    },
  );

  it("renders an update with the new title, the old one, and the new text", () => {
    expect(
      renderRealtimeUpdate("en", {
        article: article({
          title: "Resolved: API error rates",
          summary: "Resolved - This incident has been resolved.",
          revision: 3,
        }),
        previousTitle: "Increased API error rates in ap-northeast-1",
        previousSummary: "Monitoring - A fix was rolled out.",
      }),
    ).toMatchSnapshot();
  });

  it("escapes what the feed says, so it can mention no one and inject no link", () => {
    const post = renderRealtimePost(
      "en",
      article({
        title: "<!channel> outage <https://evil.example|click> & more",
        summary: "Investigating - <@U123> please <!here>",
      }),
      null,
    );
    const text = JSON.stringify(post);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<!here>");
    expect(text).not.toContain("<@U123>");
    expect(text).not.toContain("<https://evil.example|click>");
    expect(post.text).toContain("&lt;!channel&gt; outage");
  });

  it("stays within Slack's limits however long the feed makes its fields", () => {
    const huge = article({ title: "T".repeat(10_000), summary: `Update - ${"S".repeat(10_000)}` });
    for (const payload of [
      renderRealtimePost("en", huge, "<@U1>"),
      renderRealtimeUpdate("ja", {
        article: huge,
        previousTitle: "P".repeat(10_000),
        previousSummary: null,
      }),
    ]) {
      expect(payload.text.length).toBeLessThanOrEqual(3000);
      for (const block of payload.blocks as Block[]) {
        expect((block.text?.text ?? "").length).toBeLessThanOrEqual(3000);
      }
      expect((payload.blocks as Block[]).length).toBeLessThanOrEqual(50);
    }
  });

  it("reads the state a status page leads an incident's text with", () => {
    expect(incidentState("Resolved - This incident has been resolved.")).toBe("Resolved");
    expect(incidentState("  investigating: errors")).toBe("investigating");
    expect(incidentState("復旧 - 障害は復旧しました")).toBe("復旧");
    expect(incidentState("Resolvedness is a word")).toBeNull();
    expect(incidentState(null)).toBeNull();
  });
});
