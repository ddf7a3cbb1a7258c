import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { SearchHit, SearchPage } from "../../search/types.js";
import { ARTICLE_ACTIONS, SEARCH_ACTIONS, type SearchPageValue } from "../ids.js";
import { articleLink, articleSource } from "./article.js";
import { button, section } from "./blocks.js";
import { shortenEscaped } from "./escape.js";
import { fallbackText, type Reply } from "./reply.js";

type KnownBlock = types.KnownBlock;

/** Longest query shown in a heading. */
const MAX_SHOWN_QUERY = 200;

/** The query as the user typed it, escaped, in quotes. */
function quotedQuery(query: string): string {
  return `“${shortenEscaped(query, MAX_SHOWN_QUERY)}”`;
}

/** One hit: its place, number and linked title, its source, and the article buttons. */
function hitBlocks(locale: Locale, hit: SearchHit): KnownBlock[] {
  const { article } = hit;
  const lines = [`${hit.position}. ${articleLink(article)}`];
  if (article.source) lines.push(articleSource(article.source));
  return [
    section(`search-${article.id}-text`, lines.join("\n")),
    {
      type: "actions",
      block_id: `search-${article.id}`,
      elements: [
        button(ARTICLE_ACTIONS.readLater, t(locale, "digest.button.read-later"), article.id),
        button(ARTICLE_ACTIONS.assign, t(locale, "digest.button.assign"), article.id),
        button(ARTICLE_ACTIONS.comment, t(locale, "digest.button.comment"), article.id),
        button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id),
      ],
    },
  ];
}

/**
 * A page of search results: a heading, each hit (2 blocks), and a Next button carrying the
 * query and the next offset. At most 1 + 2 × 10 + 1 blocks, well within Slack's 50.
 */
export function renderSearchResults(locale: Locale, page: SearchPage): Reply {
  const query = quotedQuery(page.query);
  if (page.hits.length === 0) {
    const text = t(locale, page.offset === 0 ? "search.none" : "search.no-more", { query });
    return { text: fallbackText(text), blocks: [section("search-none", text)] };
  }
  const first = page.hits[0]?.position ?? page.offset + 1;
  const last = page.hits.at(-1)?.position ?? first;
  const heading = t(locale, "search.heading", {
    query,
    from: first,
    to: last,
    more: page.hasMore ? t(locale, "search.heading.more") : "",
  });
  const blocks: KnownBlock[] = [
    section("search-heading", heading),
    ...page.hits.flatMap((hit) => hitBlocks(locale, hit)),
  ];
  if (page.hasMore) {
    const value: SearchPageValue = { q: page.query, o: page.offset + page.hits.length };
    blocks.push({
      type: "actions",
      block_id: "search-next",
      elements: [
        button(SEARCH_ACTIONS.nextPage, t(locale, "search.button.next"), JSON.stringify(value)),
      ],
    });
  }
  const lines = [
    heading,
    ...page.hits.map((hit) => `${hit.position}. ${articleLink(hit.article)}`),
  ];
  return { text: fallbackText(lines.join("\n")), blocks };
}
