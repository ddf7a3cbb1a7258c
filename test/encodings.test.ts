import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeDocument } from "../src/feeds/charset.js";
import { parseFeed } from "../src/feeds/parse-feed.js";
import { toPlainText } from "../src/feeds/text.js";
import { fakeClock } from "./support/clock.js";
import { digestPosts } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { encodeLegacy } from "./support/legacy-encoding.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Feeds in every encoding Japanese sites use, declared every way they declare it: the
 * Content-Type's charset wins over the XML declaration, a declaration the bytes contradict is
 * not believed, and HTML entities of the whole HTML Standard are decoded.
 */

const FEED_TITLE = "障害情報フィード";
const ITEM_TITLE = "東京リージョンで接続障害、復旧済み";

/** An RSS 2.0 feed with one item, its XML declaration naming `declared` (or nothing). */
function rss(declared: string | null, itemTitle = ITEM_TITLE): string {
  const encoding = declared === null ? "" : ` encoding="${declared}"`;
  return `<?xml version="1.0"${encoding}?>
<rss version="2.0"><channel><title>${FEED_TITLE}</title><link>https://status.example.jp/</link>
<item><title>${itemTitle}</title><link>https://status.example.jp/incidents/1</link>
<pubDate>Tue, 24 Nov 2026 09:00:00 +0900</pubDate></item>
</channel></rss>`;
}

describe("choosing a feed's encoding", () => {
  it.each([
    ["Shift_JIS", "shift_jis"],
    ["Windows-31J", "shift_jis"],
    ["cp932", "shift_jis"],
    ["EUC-JP", "euc-jp"],
    ["ISO-2022-JP", "iso-2022-jp"],
  ] as const)("reads a feed whose Content-Type alone says charset=%s", (label, encoding) => {
    const body = encodeLegacy(rss(null), encoding);
    const feed = parseFeed(body, "https://status.example.jp/rss", `text/xml; charset=${label}`);
    expect(feed.title).toBe(FEED_TITLE);
    expect(feed.items[0]?.title).toBe(ITEM_TITLE);
  });

  it("lets the Content-Type's charset win over the XML declaration", () => {
    const body = encodeLegacy(rss("EUC-JP"), "shift_jis");
    const feed = parseFeed(
      body,
      "https://x.example/rss",
      'application/rss+xml; charset="shift_jis"',
    );
    expect(feed.items[0]?.title).toBe(ITEM_TITLE);
  });

  it("reads the XML declaration when the Content-Type names no charset", () => {
    const body = encodeLegacy(rss("EUC-JP"), "euc-jp");
    expect(parseFeed(body, "https://x.example/rss", "application/rss+xml").title).toBe(FEED_TITLE);
  });

  it("does not believe a declaration of Shift_JIS on a UTF-8 body", () => {
    const body = Buffer.from(rss("Shift_JIS"));
    expect(parseFeed(body, "https://x.example/rss", "application/xml").items[0]?.title).toBe(
      ITEM_TITLE,
    );
    expect(parseFeed(body, "https://x.example/rss", "application/xml; charset=utf-8").title).toBe(
      FEED_TITLE,
    );
  });

  it("takes a byte order mark for what it is, and UTF-8 when nothing is declared", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss(null))]);
    expect(parseFeed(withBom, "https://x.example/rss", "text/xml; charset=shift_jis").title).toBe(
      FEED_TITLE,
    );
    expect(parseFeed(Buffer.from(rss(null)), "https://x.example/rss").title).toBe(FEED_TITLE);
  });

  it("decodes HTML entities beyond HTML 4 in feed text", () => {
    const feed = parseFeed(
      rss(null, "復旧 &amp;check; 影響範囲 &amp;star;&amp;NewLine;詳細 &amp;hellip;"),
      "https://x.example/rss",
    );
    expect(feed.items[0]?.title).toBe("復旧 ✓ 影響範囲 ☆ 詳細 …");
    expect(toPlainText("AT&T &bogus; &amp")).toBe("AT&T &bogus; &amp");
  });
});

describe("choosing a page's encoding", () => {
  const page = (head: string) =>
    `<!doctype html><html><head>${head}<title>障害対応の手引き</title></head></html>`;

  it("reads <meta charset> and <meta http-equiv> when the Content-Type says nothing", () => {
    const meta = encodeLegacy(page('<meta charset="EUC-JP">'), "euc-jp");
    expect(decodeDocument(meta, "text/html", "html")).toContain("障害対応の手引き");
    const httpEquiv = encodeLegacy(
      page('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
      "shift_jis",
    );
    expect(decodeDocument(httpEquiv, null, "html")).toContain("障害対応の手引き");
  });

  it("lets the Content-Type win over <meta charset>, and reads a meta claiming UTF-16 as UTF-8", () => {
    const body = encodeLegacy(page('<meta charset="utf-8">'), "shift_jis");
    expect(decodeDocument(body, "text/html; charset=Shift_JIS", "html")).toContain(
      "障害対応の手引き",
    );
    const utf16 = Buffer.from(page('<meta charset="utf-16">'));
    expect(decodeDocument(utf16, "text/html", "html")).toContain("障害対応の手引き");
  });
});

describe("Japanese feeds through the app", () => {
  let app: TestApp;
  let feeds: FeedServer;

  beforeEach(async () => {
    feeds = await startFeedServer();
    app = await startTestApp({ clock: fakeClock("2026-11-25T10:00:00.000Z") });
    app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  });

  afterEach(async () => {
    await app.stop();
    await feeds.close();
  });

  it.each([
    [
      "Shift_JIS declared by the Content-Type only",
      encodeLegacy(rss(null), "shift_jis"),
      "application/rss+xml; charset=Shift_JIS",
    ],
    [
      "EUC-JP declared by the XML declaration only",
      encodeLegacy(rss("EUC-JP"), "euc-jp"),
      "application/rss+xml",
    ],
    [
      "UTF-8 under an XML declaration that claims Shift_JIS",
      Buffer.from(rss("Shift_JIS")),
      "application/rss+xml; charset=UTF-8",
    ],
    ["ISO-2022-JP", encodeLegacy(rss(null), "iso-2022-jp"), "text/xml; charset=iso-2022-jp"],
  ])("subscribes to a feed in %s and posts its titles readable", async (_case, body, type) => {
    feeds.set("/status.rss", { body, contentType: type });
    const subscribed = await app.ask(`subscribe ${feeds.url("/status.rss")}`);
    expect(subscribed.text).toContain(FEED_TITLE);
    await app.ask("digest now");
    const digest = digestPosts(app.fakeSlack.postedMessages("C_OPS"));
    expect(digest.map((message) => textOf(message)).join("\n")).toContain(ITEM_TITLE);
  });
});
