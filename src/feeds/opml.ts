/**
 * OPML import and export: the subscription list format every feed reader speaks.
 * Pure: text in, text out.
 */
import { AppError } from "../errors.js";
import { decodeXmlEntities, toPlainText } from "./text.js";
import { createSafeXmlParser, declaresXmlEntities, rootElementName } from "./xml.js";

/** One feed of an OPML subscription list. */
export interface OpmlFeed {
  title: string | null;
  feedUrl: string;
  siteUrl: string | null;
}

/** Outlines nest (folders); deeper than this is not a reading list but an attack. */
const MAX_DEPTH = 32;

// Entities stay off (the shared safe config): attribute values are decoded by decodeXmlEntities.
const opmlParser = createSafeXmlParser({
  isArray: (name) => name.toLowerCase() === "outline",
});

type XmlNode = Record<string, unknown>;

function isXmlNode(value: unknown): value is XmlNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(reason: string, cause?: unknown): AppError {
  return new AppError("opml.malformed", { reason }, cause === undefined ? undefined : { cause });
}

/** A child element or attribute looked up case-insensitively (`xmlUrl`, `xmlurl`, `XMLURL`). */
function get(node: XmlNode, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = get(node, `@${name}`);
  return typeof value === "string" ? decodeXmlEntities(value).trim() : undefined;
}

/**
 * An http(s) URL from an OPML attribute, or null. `feed://` and `feed:https://`, which
 * some readers export, are read as the http(s) URLs they stand for.
 */
function httpUrl(value: string | undefined): string | null {
  if (!value) return null;
  const unwrapped = value.replace(/^feed:(?=https?:)/i, "").replace(/^feed:\/\//i, "http://");
  try {
    const url = new URL(unwrapped);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function collectFeeds(outlines: unknown, depth: number, feeds: OpmlFeed[]): void {
  if (depth > MAX_DEPTH || !Array.isArray(outlines)) return;
  for (const outline of outlines) {
    if (!isXmlNode(outline)) continue;
    const feedUrl = httpUrl(attribute(outline, "xmlUrl"));
    if (feedUrl !== null) {
      const title = toPlainText(attribute(outline, "title") || attribute(outline, "text") || "");
      feeds.push({
        title: title === "" ? null : title,
        feedUrl,
        siteUrl: httpUrl(attribute(outline, "htmlUrl")),
      });
    }
    collectFeeds(get(outline, "outline"), depth + 1, feeds);
  }
}

/**
 * The feeds of an OPML document, folders flattened, in document order, each feed URL
 * once. Outlines without an http(s) `xmlUrl` (folders, podcasts as files...) are skipped.
 * Throws AppError `opml.malformed`, also for documents declaring DTD entities.
 */
export function parseOpml(text: string): OpmlFeed[] {
  const xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (declaresXmlEntities(xml)) {
    throw malformed("it declares XML entities (<!ENTITY>), which opsfeed refuses for safety");
  }
  if (rootElementName(xml)?.toLowerCase() !== "opml") throw malformed("there is no <opml> element");
  // The parser below is lenient; a missing end tag is how a truncated upload shows.
  if (!/<\/opml\s*>/i.test(xml)) throw malformed("the file ends before </opml>");
  let document: unknown;
  try {
    document = opmlParser.parse(xml);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : "not XML", error);
  }
  const opml = isXmlNode(document) ? get(document, "opml") : undefined;
  const body = isXmlNode(opml) ? get(opml, "body") : undefined;
  if (body === undefined) throw malformed("there is no <body> element");
  const feeds: OpmlFeed[] = [];
  if (isXmlNode(body)) collectFeeds(get(body, "outline"), 0, feeds);
  const seen = new Set<string>();
  return feeds.filter((feed) => !seen.has(feed.feedUrl) && seen.add(feed.feedUrl));
}

/** True for a code point XML 1.0 allows in a document (no NUL, no lone surrogates...). */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/**
 * Escapes text for an XML attribute or element. Tabs and newlines become references
 * so attribute values survive a round trip; characters XML cannot hold are dropped.
 */
function escapeXml(value: string): string {
  const valid = Array.from(value)
    .filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0))
    .join("");
  return valid.replace(/[&<>"'\t\n\r]/g, (ch) => {
    switch (ch) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return `&#${ch.charCodeAt(0)};`;
    }
  });
}

/** An OPML 2.0 document listing `feeds` under a head `title`; every value XML-escaped. */
export function renderOpml(title: string, feeds: readonly OpmlFeed[]): string {
  const outlines = feeds.map((feed) => {
    // OPML 2.0 requires `text`; a feed without a title is shown by its URL.
    const label = escapeXml(feed.title || feed.feedUrl);
    const site = feed.siteUrl ? ` htmlUrl="${escapeXml(feed.siteUrl)}"` : "";
    return `    <outline type="rss" text="${label}" title="${label}" xmlUrl="${escapeXml(feed.feedUrl)}"${site}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    "  <head>",
    `    <title>${escapeXml(title)}</title>`,
    "  </head>",
    "  <body>",
    ...outlines,
    "  </body>",
    "</opml>",
    "",
  ].join("\n");
}
