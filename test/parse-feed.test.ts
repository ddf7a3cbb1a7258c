import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { parseFeed, toIsoDate } from "../src/feeds/parse-feed.js";
import { decodeXmlEntities, shorten, toPlainText } from "../src/feeds/text.js";
import { t } from "../src/i18n/catalog.js";

/** A shared fixture as bytes, the way the fetcher hands it over. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../shared/fixtures/feeds/${name}`, import.meta.url));
}

/** The AppError `run` throws (fails the test when it throws something else or nothing). */
function appErrorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

const HATENA_URL = "https://b.hatena.example/hotentry/it.rss";
const ATOM_URL = "https://engineering.example.com/feed";
const STATUS_URL = "https://status.cloud.example/history.rss";
const JSON_URL = "https://links.example.dev/feed.json";

function rss(items: string, channelExtra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test feed</title><link>https://test.example/</link>${channelExtra}
${items}
</channel></rss>`;
}

describe("parseFeed: Hatena Bookmark RSS 1.0 (hatena-hotentry-it.rdf)", () => {
  const feed = parseFeed(fixture("hatena-hotentry-it.rdf"), HATENA_URL);

  it("reads the channel", () => {
    expect(feed.format).toBe("rdf");
    expect(feed.title).toBe("はてなブックマーク - 人気エントリー - テクノロジー");
    expect(feed.siteUrl).toBe("https://b.hatena.example/hotentry/it");
  });

  it("reads the first item with every Hatena field", () => {
    expect(feed.items[0]).toEqual({
      url: "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage",
      canonicalUrl: "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage",
      title: "AWS 東京リージョン apne-az1 障害で起きたこと、やったこと",
      summary:
        "2021/02/19 23:20 頃に発生した apne-az1 の障害で、ElastiCache のフェイルオーバーや応答しなくなったサービスにどう対応したかの記録。",
      publishedAt: "2021-02-20T01:12:34.000Z",
      author: null,
      bookmarkCount: 412,
      bookmarkCommentsUrl:
        "https://b.hatena.example/entry/s/ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage",
      imageUrl: "https://ops-blog.example.jp/images/outage.png",
      subjects: ["テクノロジー", "AWS", "障害"],
    });
  });

  it("keeps every item, including one whose rdf:about contains &amp; (feedsmith alone drops it)", () => {
    expect(feed.items.map((item) => item.bookmarkCount)).toEqual([
      412, 287, 156, 98, 64, 23, 341, 12,
    ]);
    const second = feed.items[1];
    expect(second?.title).toBe("「無人化システム」を駆逐する: 組織とエンジニアリングの両面から");
    expect(second?.url).toBe(
      "https://tech.example.co.jp/posts/unmanned-systems?utm_source=hatena&utm_medium=rss",
    );
    expect(second?.canonicalUrl).toBe("https://tech.example.co.jp/posts/unmanned-systems");
    expect(second?.bookmarkCommentsUrl).toBe(
      "https://b.hatena.example/entry/s/tech.example.co.jp/posts/unmanned-systems",
    );
    expect(second?.imageUrl).toBeNull();
  });

  it("converts dc:date with +09:00 to UTC and drops the fragment from the canonical URL", () => {
    const last = feed.items[7];
    expect(last?.publishedAt).toBe("2021-02-14T23:00:00.000Z");
    expect(last?.url).toBe("https://www.example.org/nohup-and-sighup#background-jobs");
    expect(last?.canonicalUrl).toBe("https://www.example.org/nohup-and-sighup");
    expect(feed.items[2]?.subjects).toEqual(["テクノロジー", "Redis"]);
  });
});

describe("parseFeed: Atom (engineering-blog.atom)", () => {
  const feed = parseFeed(fixture("engineering-blog.atom"), ATOM_URL);

  it("reads the feed and its alternate link", () => {
    expect(feed.format).toBe("atom");
    expect(feed.title).toBe("Example Engineering Blog");
    expect(feed.siteUrl).toBe("https://engineering.example.com/");
    expect(feed.items).toHaveLength(3);
  });

  it("decodes a double-escaped type=html title and prefers published over updated", () => {
    const [first] = feed.items;
    expect(first?.title).toBe("Ruby を利用した大規模ウェブサービスの開発・運用 & デプロイの高速化");
    expect(first?.url).toBe("https://engineering.example.com/entry/large-scale-ruby?ref=feed");
    // `ref` is not a tracking parameter we strip: it can select content.
    expect(first?.canonicalUrl).toBe(
      "https://engineering.example.com/entry/large-scale-ruby?ref=feed",
    );
    expect(first?.publishedAt).toBe("2021-02-20T01:00:00.000Z");
    expect(first?.author).toBe("hotchpotch");
    expect(first?.subjects).toEqual(["運用"]);
    expect(first?.summary).toBe(
      "開発→デプロイ→フィードバックのサイクルを 30 人以上のエンジニアで回し続ける。",
    );
  });

  it("resolves a relative link against the feed URL and summarises HTML content", () => {
    const second = feed.items[1];
    expect(second?.url).toBe("https://engineering.example.com/entry/technical-debt");
    expect(second?.summary).toBe("負債という比喩の問題と、古いコードへの敬意。");
    expect(second?.publishedAt).toBe("2021-02-19T05:30:00.000Z");
  });

  it("falls back to updated and to a null author", () => {
    const third = feed.items[2];
    expect(third?.title).toBe("Gem ライブラリの利用を減らす運用フェーズの開発");
    expect(third?.publishedAt).toBe("2021-02-18T00:00:00.000Z");
    expect(third?.author).toBeNull();
    expect(third?.bookmarkCount).toBeNull();
  });

  it("honours xml:base for relative links", () => {
    const atom = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://cdn.example.org/blog/">
  <title>Base test</title><id>x</id><updated>2021-01-01T00:00:00Z</updated>
  <entry><title>One</title><id>1</id><updated>2021-01-01T00:00:00Z</updated><link href="posts/1"/></entry>
</feed>`;
    expect(parseFeed(atom, "https://feeds.example.net/atom.xml").items[0]?.url).toBe(
      "https://cdn.example.org/blog/posts/1",
    );
  });
});

describe("parseFeed: RSS 2.0 (status-incidents.rss)", () => {
  const feed = parseFeed(fixture("status-incidents.rss"), STATUS_URL);

  it("reads titles, links and RFC 822 dates", () => {
    expect(feed.format).toBe("rss");
    expect(feed.title).toBe("Example Cloud Status - Incidents");
    expect(feed.siteUrl).toBe("https://status.cloud.example/");
    expect(feed.items.map((item) => [item.title, item.url, item.publishedAt])).toEqual([
      [
        "Increased API error rates in ap-northeast-1 (apne1-az4)",
        "https://status.cloud.example/incidents/2021-02-19-apne1",
        "2021-02-19T14:20:00.000Z",
      ],
      [
        "Scheduled maintenance: ElastiCache engine upgrade",
        "https://status.cloud.example/maintenance/2021-02-25-elasticache",
        "2021-02-18T00:00:00.000Z",
      ],
      [
        "Release: managed Redis 6.2 <now available> & cluster mode",
        "https://status.cloud.example/releases/redis-6-2",
        "2021-02-16T01:00:00.000Z",
      ],
    ]);
  });

  it("strips the HTML of a CDATA description", () => {
    expect(feed.items[0]?.summary).toBe(
      "Resolved - Cooling failure in a single Availability Zone. EC2 instances and EBS volumes were impaired.",
    );
  });
});

describe("parseFeed: JSON Feed (ops-links.json)", () => {
  const feed = parseFeed(fixture("ops-links.json"), JSON_URL);

  it("reads the feed", () => {
    expect(feed.format).toBe("json");
    expect(feed.title).toBe("Ops Links (JSON Feed)");
    expect(feed.siteUrl).toBe("https://links.example.dev/");
    expect(feed.items[0]).toMatchObject({
      url: "https://links.example.dev/2021/02/hatena-sakura-containers",
      title: "はてな×さくらが考えるテクノロジーの未来: コンテナと分散型データセンター",
      summary: "Mackerel のプロダクトマネージャーが語るコンテナ時代の監視。",
      publishedAt: "2021-02-19T18:00:00.000Z",
      author: "songmu",
      subjects: ["監視", "コンテナ"],
    });
  });

  it("keeps hostile titles faithfully as text (escaping for Slack happens at rendering)", () => {
    const hostile = feed.items[2];
    expect(hostile?.title).toBe(
      "Heads-up <!channel> about the <https://evil.example|fake link> & <@U024BE7LH>",
    );
    expect(hostile?.title).toContain("<!channel>");
  });

  it("gives the same article from two feeds the same canonical URL", () => {
    const hatena = parseFeed(fixture("hatena-hotentry-it.rdf"), HATENA_URL);
    const fromJson = feed.items[1];
    expect(fromJson?.url).toBe(
      "https://medley.example.com/elasticache-redis-memory?utm_source=twitter&utm_campaign=share",
    );
    expect(fromJson?.canonicalUrl).toBe(hatena.items[2]?.canonicalUrl);
    expect(fromJson?.canonicalUrl).toBe("https://medley.example.com/elasticache-redis-memory");
  });

  it("reports broken JSON as malformed and other JSON as not a feed", () => {
    expect(
      appErrorOf(() => parseFeed('{"version": "https://jsonfeed.org/version/1.1",', JSON_URL)).code,
    ).toBe("feed.malformed");
    expect(appErrorOf(() => parseFeed('{"status": "ok"}', JSON_URL)).code).toBe("feed.not-a-feed");
  });
});

describe("parseFeed: refusals", () => {
  it("reports malformed.xml as feed.malformed with the parser's reason", () => {
    const error = appErrorOf(() =>
      parseFeed(fixture("malformed.xml"), "https://broken.example/feed"),
    );
    expect(error.code).toBe("feed.malformed");
    expect(String(error.params.reason)).not.toBe("");
  });

  it("reports an HTML page as not a feed", () => {
    const html = `<!DOCTYPE html>
<html lang="ja"><head><title>Example</title>
<link rel="alternate" type="application/rss+xml" href="/feed"></head>
<body><h1>Example blog</h1><p>Welcome</p></body></html>`;
    expect(appErrorOf(() => parseFeed(html, "https://blog.example/")).code).toBe("feed.not-a-feed");
    expect(appErrorOf(() => parseFeed(Buffer.from(html), "https://blog.example/")).code).toBe(
      "feed.not-a-feed",
    );
  });

  it("reports other non-feeds (OPML, plain text, empty body) as not a feed", () => {
    for (const body of [fixture("subscriptions.opml"), "just some text", "", "   "]) {
      expect(appErrorOf(() => parseFeed(body, "https://x.example/")).code).toBe("feed.not-a-feed");
    }
  });

  it("refuses billion-laughs.xml before parsing, with flat memory", () => {
    const bomb = fixture("billion-laughs.xml");
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50; i++) {
      expect(appErrorOf(() => parseFeed(bomb, "https://bomb.example/feed")).code).toBe(
        "feed.entity-expansion",
      );
    }
    const grownBy = process.memoryUsage().heapUsed - before;
    expect(grownBy).toBeLessThan(50 * 1024 * 1024);
  });

  it("refuses a single harmless-looking entity declaration too", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY team "SRE">]>
<rss version="2.0"><channel><title>&team;</title></channel></rss>`;
    expect(appErrorOf(() => parseFeed(xml, "https://x.example/")).code).toBe(
      "feed.entity-expansion",
    );
  });

  it("accepts a DOCTYPE without entities and <!ENTITY text inside CDATA", () => {
    const withExternalDtd = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>
<item><title>XXE explained</title><link>https://old.example/xxe</link>
<description><![CDATA[<pre>&lt;!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]></pre>]]></description></item>
</channel></rss>`;
    const feed = parseFeed(withExternalDtd, "https://old.example/rss");
    expect(feed.items[0]?.title).toBe("XXE explained");
  });

  it("has messages for every error in both languages", () => {
    expect(t("en", "feed.not-a-feed")).toMatch(/web page, not a feed/);
    expect(t("en", "feed.not-a-feed")).toMatch(/RSS or Atom link/);
    expect(t("ja", "feed.not-a-feed")).toMatch(/ウェブページ/);
    expect(t("en", "feed.malformed", { reason: "Unexpected end of title" })).toContain(
      "Unexpected end of title",
    );
    expect(t("ja", "feed.malformed", { reason: "X" })).toContain("X");
    expect(t("ja", "feed.entity-expansion")).toContain("ENTITY");
    expect(t("ja", "opml.malformed", { reason: "Y" })).toContain("Y");
  });
});

describe("parseFeed: links, dates and cleaning", () => {
  it("resolves relative links against the feed URL and skips items without a usable link", () => {
    const feed = parseFeed(
      rss(`<item><title>Relative</title><link>/posts/1?x=1</link></item>
<item><title>No link</title></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
<item><title>Mail</title><link>mailto:ops@example.com</link></item>
<item><title>Permalink guid</title><guid>https://test.example/posts/2</guid></item>
<item><title>Opaque guid</title><guid>post-3</guid></item>`),
      "https://test.example/feeds/main.xml",
    );
    expect(feed.items.map((item) => [item.title, item.url])).toEqual([
      ["Relative", "https://test.example/posts/1?x=1"],
      ["Permalink guid", "https://test.example/posts/2"],
    ]);
  });

  it("deduplicates items by canonical URL within one feed, keeping the first", () => {
    const feed = parseFeed(
      rss(`<item><title>First</title><link>https://a.example/p?utm_source=x</link></item>
<item><title>Second</title><link>https://A.example/p#comments</link></item>
<item><title>Other</title><link>https://a.example/q</link></item>`),
      "https://a.example/feed",
    );
    expect(feed.items.map((item) => item.title)).toEqual(["First", "Other"]);
  });

  it("returns null for missing or invalid dates", () => {
    const feed = parseFeed(
      rss(`<item><title>None</title><link>https://d.example/1</link></item>
<item><title>Garbage</title><link>https://d.example/2</link><pubDate>not a date</pubDate></item>
<item><title>Number</title><link>https://d.example/3</link><pubDate>12</pubDate></item>`),
      "https://d.example/feed",
    );
    expect(feed.items.map((item) => item.publishedAt)).toEqual([null, null, null]);
  });

  it("reads dates without a zone as UTC, whatever the server's TZ, and JST as +09:00", () => {
    expect(toIsoDate("2021-02-20T10:00:00")).toBe("2021-02-20T10:00:00.000Z");
    expect(toIsoDate("Sat, 20 Feb 2021 10:00:00")).toBe("2021-02-20T10:00:00.000Z");
    expect(toIsoDate("Sat, 20 Feb 2021 10:00:00 JST")).toBe("2021-02-20T01:00:00.000Z");
    expect(toIsoDate("2021-02-20")).toBe("2021-02-20T00:00:00.000Z");
    expect(toIsoDate("  ")).toBeNull();
    expect(toIsoDate(undefined)).toBeNull();
  });

  it("falls back to the URL for an empty title and to the host for an untitled feed", () => {
    const feed = parseFeed(
      `<rss version="2.0"><channel><link>https://n.example/</link>
<item><title>  <b></b> </title><link>https://n.example/post</link></item></channel></rss>`,
      "https://n.example:8443/rss",
    );
    expect(feed.title).toBe("n.example:8443");
    expect(feed.items[0]?.title).toBe("https://n.example/post");
    expect(feed.items[0]?.summary).toBeNull();
  });

  it("shortens long summaries to 280 characters with an ellipsis and caps titles at 300", () => {
    const long = "障害対応の記録です。".repeat(60);
    const feed = parseFeed(
      rss(
        `<item><title>${"長".repeat(400)}</title><link>https://l.example/1</link><description>${long}</description></item>`,
      ),
      "https://l.example/feed",
    );
    const item = feed.items[0];
    expect(item?.summary?.length).toBeLessThanOrEqual(280);
    expect(item?.summary?.endsWith("…")).toBe(true);
    expect(item?.title.length).toBe(300);
  });

  it("decodes a Shift_JIS body declared in the XML declaration", () => {
    const shouGai = Buffer.from([0x8f, 0xe1, 0x8a, 0x51]); // "障害" in Shift_JIS
    const body = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>'),
      shouGai,
      Buffer.from("</title><item><title>"),
      shouGai,
      Buffer.from("</title><link>https://sjis.example/1</link></item></channel></rss>"),
    ]);
    const feed = parseFeed(body, "https://sjis.example/rss");
    expect(feed.title).toBe("障害");
    expect(feed.items[0]?.title).toBe("障害");
  });

  it("decodes EUC-JP, and UTF-8 with a BOM", () => {
    const eucShouGai = Buffer.from([0xbe, 0xe3, 0xb3, 0xb2]); // "障害" in EUC-JP
    const euc = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="EUC-JP"?><rss version="2.0"><channel><title>'),
      eucShouGai,
      Buffer.from("</title></channel></rss>"),
    ]);
    expect(parseFeed(euc, "https://euc.example/rss").title).toBe("障害");
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss(""))]);
    expect(parseFeed(bom, "https://test.example/rss").title).toBe("Test feed");
  });

  it("reads Hatena fields in an RSS 2.0 feed with another prefix for the namespace", () => {
    const feed = parseFeed(
      `<rss version="2.0" xmlns:hb="http://www.hatena.ne.jp/info/xmlns#"><channel><title>H</title>
<item><title>A</title><link>https://h.example/a?x=1&amp;y=2</link><hb:bookmarkcount>7</hb:bookmarkcount></item>
<item><title>B</title><link>https://h.example/b</link></item></channel></rss>`,
      "https://h.example/rss",
    );
    expect(feed.items.map((item) => item.bookmarkCount)).toEqual([7, null]);
  });
});

describe("text helpers", () => {
  it("strips tags, drops script and style, decodes entities and folds whitespace", () => {
    expect(toPlainText("<p>Hello&nbsp;<b>world</b></p>\n\n<p>next</p>")).toBe("Hello world next");
    expect(toPlainText("<script>alert(1)</script>ok<style>p { color: red }</style>")).toBe("ok");
    expect(toPlainText("&lt;tag&gt; &amp; &#x1F600; &#12354; &hellip;")).toBe("<tag> & 😀 あ …");
    expect(toPlainText("<!-- note -->AT&T &bogus;")).toBe("AT&T &bogus;");
  });

  it("leaves Japanese text untouched (no spaces added around inline tags)", () => {
    expect(toPlainText("これは<b>重要</b>な話です。")).toBe("これは重要な話です。");
    expect(toPlainText("全角　スペースはそのまま")).toBe("全角　スペースはそのまま");
    expect(toPlainText("<ruby>障害<rt>しょうがい</rt></ruby>対応")).toBe("障害対応");
  });

  it("keeps angle-bracket text that is not an HTML tag", () => {
    expect(toPlainText("a < b and <now available> and <!channel> and <@U1>")).toBe(
      "a < b and <now available> and <!channel> and <@U1>",
    );
  });

  it("decodes only XML's own entities in decodeXmlEntities", () => {
    expect(decodeXmlEntities("a&amp;b &lt; &#x41; &nbsp;")).toBe("a&b < A &nbsp;");
  });

  it("shortens at a word boundary in English and a character boundary in Japanese", () => {
    expect(shorten("The quick brown fox jumps over the lazy dog", 20)).toBe("The quick brown…");
    expect(shorten("あいうえおかきくけこさしすせそ", 10)).toBe("あいうえおかきくけ…");
    expect(shorten("short", 10)).toBe("short");
    expect(shorten("😀😀😀😀😀", 4)).toBe("😀…");
  });
});
