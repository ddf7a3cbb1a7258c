import { describe, expect, it } from "vitest";
import { readPageMetadata } from "../src/pages/page-metadata.js";

const PAGE_URL = "https://blog.example.jp/entry/2026/11/24/dns";

describe("readPageMetadata", () => {
  it("prefers OpenGraph, then Twitter, then <title> and <meta name=description>", () => {
    const full = readPageMetadata(
      `<html><head>
<title>DNS outage | Blog</title>
<meta name="description" content="plain description">
<meta name="twitter:title" content="Twitter title">
<meta property="og:title" content="DNS outage on 24 November">
<meta property="og:description" content="What happened, &amp; why.">
<meta property="og:site_name" content="Example Blog">
</head><body></body></html>`,
      PAGE_URL,
    );
    expect(full).toEqual({
      title: "DNS outage on 24 November",
      description: "What happened, & why.",
      canonicalUrl: null,
      siteName: "Example Blog",
    });
    const twitter = readPageMetadata(
      `<title>T</title><meta name=twitter:title content='From Twitter'><meta name="twitter:description" content=desc>`,
      PAGE_URL,
    );
    expect(twitter.title).toBe("From Twitter");
    expect(twitter.description).toBe("desc");
    const plain = readPageMetadata(
      "<TITLE>\n  Plain   title \n</TITLE><META NAME=Description CONTENT='d'>",
      PAGE_URL,
    );
    expect(plain).toMatchObject({ title: "Plain title", description: "d" });
  });

  it("resolves the canonical link against <base> and the page, http(s) only", () => {
    expect(
      readPageMetadata('<link rel="alternate canonical" href="/entry/dns">', PAGE_URL).canonicalUrl,
    ).toBe("https://blog.example.jp/entry/dns");
    expect(
      readPageMetadata(
        '<base href="https://cdn.example.jp/x/"><link rel=canonical href="y">',
        PAGE_URL,
      ).canonicalUrl,
    ).toBe("https://cdn.example.jp/x/y");
    expect(
      readPageMetadata('<link rel="canonical" href="javascript:alert(1)">', PAGE_URL).canonicalUrl,
    ).toBeNull();
    expect(
      readPageMetadata('<meta property="og:url" content="https://blog.example.jp/e">', PAGE_URL)
        .canonicalUrl,
    ).toBe("https://blog.example.jp/e");
  });

  it("ignores what scripts, styles and comments contain, and stops at the body", () => {
    const metadata = readPageMetadata(
      `<head><script>document.write("<title>from a script</title>")</script>
<!-- <title>commented out</title> -->
<style>title { color: red }</style>
<title>The real title</title></head>
<body><meta property="og:title" content="in the body"></body>`,
      PAGE_URL,
    );
    expect(metadata.title).toBe("The real title");
  });

  it("keeps the first of two titles and reads attributes with > inside quotes", () => {
    const metadata = readPageMetadata(
      `<meta property="og:description" content="a > b, and c"><title>First</title><title>Second</title>`,
      PAGE_URL,
    );
    expect(metadata).toMatchObject({ title: "First", description: "a > b, and c" });
  });

  it("decodes HTML entities the way a browser does, in titles and attributes", () => {
    const metadata = readPageMetadata(
      `<title>&check; done &star; &copy 2026</title><meta name="description" content="x &amp; y &notit; &lt;b&gt;">`,
      PAGE_URL,
    );
    expect(metadata.title).toBe("✓ done ☆ © 2026");
    expect(metadata.description).toBe("x & y &notit; <b>");
  });

  it("shortens a very long title and says null for a page without one", () => {
    expect(readPageMetadata(`<title>${"長い".repeat(400)}</title>`, PAGE_URL).title?.length).toBe(
      300,
    );
    expect(readPageMetadata("<p>no head at all</p>", PAGE_URL)).toEqual({
      title: null,
      description: null,
      canonicalUrl: null,
      siteName: null,
    });
  });

  // Each of these is a megabyte that a backtracking or rescanning parser would take minutes
  // (or forever) over; the tokenizer reads each once, so the title before them is found.
  it.each([
    ["unclosed quotes", `<meta content="${"<a x='".repeat(150_000)}`],
    ["a million tag openings", "<".repeat(1_000_000)],
    ["tags that never end", "<a b c d e f g h ".repeat(60_000)],
    ["comments that never close", "<!-- ".repeat(200_000)],
    ["endless attributes", `<meta ${"a=b ".repeat(250_000)}>`],
    ["raw text that never closes", `<script>${"</scrip".repeat(140_000)}`],
  ])("reads a hostile page (%s) without getting stuck", (_case, hostile) => {
    const metadata = readPageMetadata(`<title>Before the trap</title>${hostile}`, PAGE_URL);
    expect(metadata.title).toBe("Before the trap");
  });
});
