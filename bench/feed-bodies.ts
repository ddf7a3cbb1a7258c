/**
 * The feeds the ingest benchmarks serve: feed `i` has 30 items, even feeds Hatena Bookmark's
 * RSS 1.0 (with bookmark counts), odd ones RSS 2.0 as engineering blogs write it; every feed's
 * items are its own URLs, titles half Japanese, summaries a couple of hundred characters.
 */

/** Items per benchmark feed. */
export const ITEMS_PER_FEED = 30;

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function itemText(feed: number, item: number) {
  const n = feed * ITEMS_PER_FEED + item;
  const title =
    n % 2 === 0
      ? `東京リージョンで発生したネットワーク障害の振り返りと再発防止策 その${n}`
      : `How we cut p99 latency of our ingest pipeline by half, part ${n}`;
  const summary =
    n % 2 === 0
      ? `障害の発生から復旧までの経緯、影響範囲、根本原因、そして監視とアラートの改善について。記事${n}では手順書の見直しも扱います。`
      : `A write-up of incident ${n}: what paged us, what we saw in the dashboards, the rollback, and the follow-ups we filed & shipped afterwards.`;
  return { title, summary, url: `https://blog${feed % 97}.example.com/entry/2026/11/${n}` };
}

/** The body of benchmark feed `feed` (stable: the same bytes every time it is asked for). */
export function benchFeedBody(feed: number): string {
  const date = (item: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, 0) - item * 3_600_000);
  if (feed % 2 === 0) {
    const items = Array.from({ length: ITEMS_PER_FEED }, (_, item) => {
      const { title, summary, url } = itemText(feed, item);
      return `<item rdf:about="${escapeXml(url)}"><title>${escapeXml(title)}</title><link>${escapeXml(url)}</link><description>${escapeXml(summary)}</description><dc:date>${date(item).toISOString()}</dc:date><dc:subject>テクノロジー</dc:subject><hatena:bookmarkcount>${(feed + item) % 500}</hatena:bookmarkcount><hatena:imageurl>https://cdn.example.com/${feed}/${item}.png</hatena:imageurl><hatena:bookmarkCommentListPageUrl>https://b.hatena.ne.jp/entry/${escapeXml(url)}</hatena:bookmarkCommentListPageUrl></item>`;
    }).join("\n");
    return `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:hatena="http://www.hatena.ne.jp/info/xmlns#">
<channel rdf:about="https://b.hatena.ne.jp/hotentry/it"><title>はてなブックマーク - 人気エントリー - テクノロジー ${feed}</title><link>https://b.hatena.ne.jp/hotentry/it</link><description>人気エントリー</description></channel>
${items}
</rdf:RDF>`;
  }
  const items = Array.from({ length: ITEMS_PER_FEED }, (_, item) => {
    const { title, summary, url } = itemText(feed, item);
    return `<item><title>${escapeXml(title)}</title><link>${escapeXml(url)}</link><guid>${escapeXml(url)}</guid><description>${escapeXml(summary)}</description><pubDate>${date(item).toUTCString()}</pubDate><author>sre@example.com (SRE team)</author></item>`;
  }).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Engineering blog ${feed}</title><link>https://blog${feed % 97}.example.com/</link><description>Notes from the ops team</description>
${items}
</channel></rss>`;
}
