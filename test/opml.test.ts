import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { parseOpml, renderOpml } from "../src/feeds/opml.js";

function fixture(name: string): string {
  return readFileSync(new URL(`../../shared/fixtures/feeds/${name}`, import.meta.url), "utf8");
}

function opmlErrorOf(text: string): AppError {
  try {
    parseOpml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("opml.malformed");
    return error as AppError;
  }
  throw new Error("expected opml.malformed, nothing was thrown");
}

describe("parseOpml", () => {
  it("reads the nested outlines of subscriptions.opml", () => {
    expect(parseOpml(fixture("subscriptions.opml"))).toEqual([
      {
        title: "はてなブックマーク - テクノロジー",
        feedUrl: "https://b.hatena.example/hotentry/it.rss",
        siteUrl: "https://b.hatena.example/hotentry/it",
      },
      {
        title: "Example Engineering Blog",
        feedUrl: "https://engineering.example.com/feed",
        siteUrl: "https://engineering.example.com/",
      },
      {
        title: "Example Cloud Status",
        feedUrl: "https://status.cloud.example/history.rss",
        siteUrl: null,
      },
    ]);
  });

  it("decodes entities in attributes, prefers title over text and ignores attribute case", () => {
    const opml = `<?xml version="1.0"?>
<opml version="1.0"><head/><body>
  <outline text="Folder"><outline text="Deeper">
    <outline text="Text &amp; more" title="Ops &amp; SRE &lt;weekly&gt;" xmlurl="https://a.example/rss?x=1&amp;y=2" HTMLURL="https://a.example/"/>
  </outline></outline>
  <outline text="" xmlUrl="feed://b.example/atom"/>
  <outline text="dup" xmlUrl="https://a.example/rss?x=1&amp;y=2"/>
  <outline text="not http" xmlUrl="file:///etc/passwd"/>
  <outline text="no url"/>
</body></opml>`;
    expect(parseOpml(opml)).toEqual([
      {
        title: "Ops & SRE <weekly>",
        feedUrl: "https://a.example/rss?x=1&y=2",
        siteUrl: "https://a.example/",
      },
      { title: null, feedUrl: "http://b.example/atom", siteUrl: null },
    ]);
  });

  it("returns an empty list for an OPML file without feeds", () => {
    expect(parseOpml('<opml version="2.0"><head/><body></body></opml>')).toEqual([]);
  });

  it("refuses documents that are not OPML or are cut off", () => {
    expect(opmlErrorOf("not xml at all").params.reason).toMatch(/opml/);
    expect(opmlErrorOf(fixture("status-incidents.rss")).params.reason).toMatch(/opml/);
    const truncated = fixture("subscriptions.opml").slice(0, 300);
    expect(opmlErrorOf(truncated).params.reason).toMatch(/<\/opml>/);
    expect(opmlErrorOf('<opml version="2.0"><head/></opml>').params.reason).toMatch(/body/);
  });

  it("refuses entity declarations the same way feeds do", () => {
    const bomb = fixture("billion-laughs.xml")
      .replace("<rss", "<opml")
      .replace("</rss>", "</opml>");
    const before = process.memoryUsage().heapUsed;
    expect(opmlErrorOf(bomb).params.reason).toMatch(/ENTITY/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });
});

describe("renderOpml", () => {
  const feeds = [
    {
      title: "はてなブックマーク - テクノロジー",
      feedUrl: "https://b.hatena.example/hotentry/it.rss",
      siteUrl: "https://b.hatena.example/hotentry/it",
    },
    {
      title: `Quotes "double" & 'single' <tags>`,
      feedUrl: "https://a.example/rss?x=1&y=2",
      siteUrl: null,
    },
  ];

  it("writes valid OPML 2.0 with escaped attributes", () => {
    const xml = renderOpml("Ops & <SRE>", feeds);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')).toBe(
      true,
    );
    expect(xml).toContain("<title>Ops &amp; &lt;SRE&gt;</title>");
    expect(xml).toContain('text="Quotes &quot;double&quot; &amp; &apos;single&apos; &lt;tags&gt;"');
    expect(xml).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"');
    expect(xml).not.toContain('htmlUrl=""');
  });

  it("round-trips through parseOpml", () => {
    expect(parseOpml(renderOpml("Ops", feeds))).toEqual(feeds);
  });

  it("uses the feed URL as text when a feed has no title", () => {
    const xml = renderOpml("Ops", [
      { title: "", feedUrl: "https://c.example/feed", siteUrl: null },
    ]);
    expect(xml).toContain('text="https://c.example/feed"');
  });

  it("drops characters XML cannot hold", () => {
    const xml = renderOpml("bad\u0000\u0007title", []);
    expect(xml).toContain("<title>badtitle</title>");
  });
});
