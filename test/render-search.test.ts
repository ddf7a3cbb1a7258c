import { describe, expect, it } from "vitest";
import { LOCALES } from "../src/i18n/locale.js";
import type { ArticleSummary } from "../src/queue/types.js";
import { SEARCH_PAGE_SIZE, type SearchPage } from "../src/search/types.js";
import { ARTICLE_ACTIONS, SEARCH_ACTIONS } from "../src/slack/ids.js";
import { renderSearchResults } from "../src/slack/render/search-results.js";

/** Everything a feed or a user could type to mention people or forge a link. */
const HOSTILE = "<!channel> <!here> <@U123> <https://evil.example|x> & co";

function article(id: number, overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id,
    title: `障害対応の手順 ${id}`,
    url: `https://articles.example/${id}`,
    source: "Ops news",
    bookmarkCount: null,
    ...overrides,
  };
}

function page(count: number, overrides: Partial<SearchPage> = {}): SearchPage {
  const offset = overrides.offset ?? 0;
  return {
    query: "障害 postgres",
    offset,
    hits: Array.from({ length: count }, (_, i) => ({
      position: offset + i + 1,
      article: article(100 + i),
    })),
    hasMore: false,
    ...overrides,
  };
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value: string }[];
};

describe("search results", () => {
  for (const locale of LOCALES) {
    it(`renders a page with Next in ${locale}`, () => {
      expect(renderSearchResults(locale, page(2, { hasMore: true, offset: 10 }))).toMatchSnapshot();
    });
    it(`renders no hits in ${locale}`, () => {
      expect(renderSearchResults(locale, page(0))).toMatchSnapshot();
      expect(renderSearchResults(locale, page(0, { offset: 10 })).text).not.toBe(
        renderSearchResults(locale, page(0)).text,
      );
    });
  }

  it("stays within Slack's limits with a full page", () => {
    const reply = renderSearchResults("en", page(SEARCH_PAGE_SIZE, { hasMore: true }));
    const blocks = reply.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(new Set(blocks.map((block) => block.block_id)).size).toBe(blocks.length);
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(reply.text.length).toBeLessThanOrEqual(3000);
    const next = blocks.at(-1)?.elements?.[0];
    expect(next?.action_id).toBe(SEARCH_ACTIONS.nextPage);
    expect(JSON.parse(next?.value ?? "")).toEqual({ q: "障害 postgres", o: 10 });
    const buttons = blocks.find((block) => block.block_id === "search-100")?.elements;
    expect(buttons?.map((button) => button.action_id)).toEqual([
      ARTICLE_ACTIONS.readLater,
      ARTICLE_ACTIONS.assign,
      ARTICLE_ACTIONS.comment,
      ARTICLE_ACTIONS.done,
    ]);
  });

  it("escapes titles, sources and the query", () => {
    const hostile = page(1, { query: HOSTILE });
    const first = hostile.hits[0];
    if (first) first.article = article(7, { title: HOSTILE, source: HOSTILE });
    const reply = renderSearchResults("en", hostile);
    const all = JSON.stringify(reply);
    for (const forged of ["<!channel>", "<!here>", "<@U123>", "<https://evil.example|x>"]) {
      expect(all).not.toContain(forged);
    }
    expect(all).toContain("&lt;!channel&gt;");
  });
});
