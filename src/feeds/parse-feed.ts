/**
 * Feed parsing: bytes of an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom or JSON Feed document in,
 * a small normalised `ParsedFeed` out. Pure: no I/O, no clock.
 *
 * feedsmith does the format work. Two things it cannot do are done here: Hatena's
 * `hatena:*` fields (feedsmith drops unknown namespaces) come from one scan of the markup (not
 * a second full parse), and documents declaring DTD entities are refused up front.
 */
import {
  type AtomFeed,
  DetectError,
  type JsonFeed,
  MalformedError,
  ParseError,
  parseAtomFeed,
  parseJsonFeed,
  parseRdfFeed,
  parseRssFeed,
  type RdfFeed,
  type RssFeed,
} from "feedsmith";
import { AppError } from "../errors.js";
import { canonicalizeUrl } from "./canonical-url.js";
import { decodeDocument } from "./charset.js";
import { decodeXmlEntities, shorten, toPlainText } from "./text.js";
import type { FeedFormat, ParsedFeed, ParsedItem } from "./types.js";
import { declaresXmlEntities, rootElementName } from "./xml.js";

const TITLE_MAX = 300;
const SUMMARY_MAX = 280;
const AUTHOR_MAX = 100;
const SUBJECT_MAX = 100;
const REASON_MAX = 200;

/**
 * Parses a feed document. `feedUrl` is where it was fetched from: the base for relative
 * links and the fallback title; `contentType` is the response's Content-Type header, whose
 * charset says how to read the bytes. Throws AppError `feed.not-a-feed`, `feed.malformed` or
 * `feed.entity-expansion`.
 */
export function parseFeed(
  body: string | Uint8Array,
  feedUrl: string,
  contentType: string | null = null,
): ParsedFeed {
  const text = decodeBody(body, contentType);
  const first = text.search(/\S/);
  if (first !== -1 && text[first] === "{") return fromJson(text, feedUrl);

  if (declaresXmlEntities(text)) throw new AppError("feed.entity-expansion");
  const root = rootElementName(text);
  switch (root === null ? null : localName(root).toLowerCase()) {
    case "rss":
      return withHatenaExtras(fromRss(runFeedsmith(() => parseRssFeed(text))), text, feedUrl);
    case "rdf":
      return withHatenaExtras(
        fromRdf(runFeedsmith(() => parseRdfFeed(withoutRdfToc(text)))),
        text,
        feedUrl,
      );
    case "feed":
      return withHatenaExtras(fromAtom(runFeedsmith(() => parseAtomFeed(text))), text, feedUrl);
    default:
      // An HTML page (root `html`), an OPML file, plain text, an empty body...
      throw new AppError("feed.not-a-feed");
  }
}

// ---------------------------------------------------------------------------------------
// Bytes to text

/**
 * The text of a response body: its BOM, else the Content-Type's charset, else the XML
 * declaration's encoding (Shift_JIS and EUC-JP feeds still exist in Japan), else UTF-8, which
 * is also what JSON Feed mandates (`feeds/charset.ts`).
 */
function decodeBody(body: string | Uint8Array, contentType: string | null): string {
  return decodeDocument(body, contentType, "xml");
}

function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.indexOf(":") + 1);
}

/**
 * RSS 1.0 with its `<items><rdf:Seq>` table of contents removed. feedsmith 3.0.1 matches
 * `rdf:li/@rdf:resource` (entity-decoded) against `item/@rdf:about` (raw), so an item
 * whose URL contains `&amp;` silently disappears. Without the TOC it reads every
 * `<item>` in document order, which is what RSS 1.0 feeds use in practice.
 */
function withoutRdfToc(xml: string): string {
  const open = /<(?:[\w.-]+:)?items(?=[\s>])/.exec(xml);
  if (!open) return xml;
  // Two plain searches rather than one lazy regex: an unclosed `<items` costs one scan.
  const close = /<\/(?:[\w.-]+:)?items\s*>/g;
  close.lastIndex = open.index;
  const end = close.exec(xml);
  return end ? xml.slice(0, open.index) + xml.slice(end.index + end[0].length) : xml;
}

// ---------------------------------------------------------------------------------------
// feedsmith

/** Runs a feedsmith parser, turning its errors into AppErrors the user can read. */
function runFeedsmith<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DetectError) throw new AppError("feed.not-a-feed", {}, { cause: error });
    if (error instanceof MalformedError) {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      throw new AppError(
        "feed.malformed",
        { reason: shorten(cause, REASON_MAX) },
        { cause: error },
      );
    }
    if (error instanceof ParseError) {
      throw new AppError("feed.malformed", { reason: "no title or items found" }, { cause: error });
    }
    throw error;
  }
}

/** A feed item as read from any format, before cleaning and URL resolution. */
interface RawItem {
  link: string | undefined;
  /** Other identifiers Hatena extras may be keyed by (RSS 1.0 `rdf:about`). */
  aliases: string[];
  base: string | undefined;
  title: string | undefined;
  summary: string | undefined;
  date: string | undefined;
  author: string | undefined;
  subjects: string[];
}

interface RawFeed {
  format: FeedFormat;
  title: string | undefined;
  siteLink: string | undefined;
  base: string | undefined;
  items: RawItem[];
  ttl?: number | undefined;
}

/** `value` when it is an absolute http(s) URL by itself (no base), else undefined. */
function absoluteHttp(value: string | undefined): string | undefined {
  return value !== undefined && resolveHttpUrl(value, undefined) !== null ? value : undefined;
}

function fromRss(feed: RssFeed.Feed<string>): RawFeed {
  return {
    format: "rss",
    title: feed.title,
    siteLink: feed.link,
    base: feed.xml?.base,
    ttl: feed.ttl,
    items: (feed.items ?? []).map((item) => ({
      // A guid is only a link when it says so and is absolute; "incident-7731" is not.
      link:
        item.link ??
        (item.guid?.isPermaLink === false ? undefined : absoluteHttp(item.guid?.value)),
      aliases: [],
      base: item.xml?.base,
      title: item.title,
      summary: item.description ?? item.content?.encoded,
      date: item.pubDate ?? item.dc?.dates?.[0],
      author: item.authors?.[0]?.name ?? item.dc?.creators?.[0],
      subjects: [
        ...(item.categories ?? []).map((category) => category.name ?? ""),
        ...(item.dc?.subjects ?? []),
      ],
    })),
  };
}

function fromRdf(feed: RdfFeed.Feed<string>): RawFeed {
  return {
    format: "rdf",
    title: feed.title,
    siteLink: feed.link,
    base: feed.xml?.base,
    items: (feed.items ?? []).map((item) => ({
      link: item.link ?? item.rdf?.about,
      aliases: item.rdf?.about ? [item.rdf.about] : [],
      base: item.xml?.base,
      title: item.title,
      summary: item.description ?? item.content?.encoded,
      date: item.dc?.dates?.[0],
      author: item.dc?.creators?.[0],
      subjects: item.dc?.subjects ?? [],
    })),
  };
}

/** The entry's page: a `rel="alternate"` (or rel-less) link, HTML preferred. */
function atomAlternate(links: AtomFeed.Link<string>[] | undefined): string | undefined {
  const alternates = (links ?? []).filter((link) => !link.rel || link.rel === "alternate");
  const html = alternates.find((link) => !link.type || /html/i.test(link.type));
  return (html ?? alternates[0])?.href;
}

function fromAtom(feed: AtomFeed.Feed<string>): RawFeed {
  const feedAuthor = feed.authors?.[0]?.name;
  return {
    format: "atom",
    title: feed.title?.value,
    siteLink: atomAlternate(feed.links),
    base: feed.xml?.base,
    items: (feed.entries ?? []).map((entry) => ({
      // Many Atom feeds use the permalink as the id; fall back to it when it is a URL.
      link: atomAlternate(entry.links) ?? absoluteHttp(entry.id),
      aliases: [],
      base: entry.xml?.base,
      title: entry.title?.value,
      summary: entry.summary?.value ?? entry.content?.value,
      date: entry.published ?? entry.updated ?? entry.dc?.dates?.[0],
      author: entry.authors?.[0]?.name ?? feedAuthor,
      subjects: (entry.categories ?? []).map((category) => category.label ?? category.term ?? ""),
    })),
  };
}

function fromJsonFeed(feed: JsonFeed.Feed<string>): RawFeed {
  const feedAuthor = feed.authors?.[0]?.name;
  return {
    format: "json",
    title: feed.title,
    siteLink: feed.home_page_url,
    base: undefined,
    items: (feed.items ?? []).map((item) => ({
      link: item.url ?? item.external_url,
      aliases: [],
      base: undefined,
      title: item.title,
      summary: item.summary ?? item.content_text ?? item.content_html,
      date: item.date_published ?? item.date_modified,
      author: item.authors?.[0]?.name ?? feedAuthor,
      subjects: item.tags ?? [],
    })),
  };
}

function fromJson(text: string, feedUrl: string): ParsedFeed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "invalid JSON";
    throw new AppError("feed.malformed", { reason: shorten(reason, REASON_MAX) }, { cause: error });
  }
  return finish(fromJsonFeed(runFeedsmith(() => parseJsonFeed(json))), feedUrl, new Map());
}

// ---------------------------------------------------------------------------------------
// Hatena extras (one scan of the markup)

const HATENA_NAMESPACE =
  /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])https?:\/\/www\.hatena\.ne\.jp\/info\/xmlns#\2/;

interface HatenaExtras {
  bookmarkCount: string | undefined;
  bookmarkCommentsUrl: string | undefined;
  imageUrl: string | undefined;
}

/** Start tags, end tags, CDATA sections and comments: what the Hatena scan steps through. */
const MARKUP =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The attributes of a start tag, by name, values as written (entities not decoded). */
function attributesOf(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1] as string;
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? "");
  }
  return attributes;
}

/** An element's text as the XML parsers read it: each text run trimmed and entity-decoded, then its CDATA as is. */
interface TextParts {
  text: string[];
  cdata: string[];
}

function joinText(parts: TextParts): string {
  return [...parts.text, ...parts.cdata].join("").trim();
}

/** The item or entry being scanned, and its child element whose text is being read. */
interface ScannedItem {
  depth: number;
  keys: string[];
  extras: HatenaExtras;
  found: boolean;
  seenFields: Set<string>;
  reading: { name: string; depth: number; parts: TextParts; field: string | null } | null;
}

/**
 * Hatena fields by item identifier (link or rdf:about), read by one scan of the markup, because
 * feedsmith drops namespaces it does not know. Only items' and entries' own children count (as
 * in a full parse): the Hatena elements, `link` text and `href`, and the item's `about`
 * attribute. CDATA and comments are stepped over whole, so markup inside them is text. Empty
 * when the feed does not declare Hatena's namespace.
 */
function readAllHatenaExtras(xml: string): Map<string, HatenaExtras> {
  const byKey = new Map<string, HatenaExtras>();
  const prefix = HATENA_NAMESPACE.exec(xml)?.[1];
  if (!prefix) return byKey;
  const fieldPrefix = `${prefix}:`;
  let depth = 0;
  let item: ScannedItem | null = null;
  let textFrom = 0;
  const addText = (until: number) => {
    const reading = item?.reading;
    if (!reading || depth !== reading.depth + 1) return;
    const run = xml.slice(textFrom, until).trim();
    if (run !== "") reading.parts.text.push(decodeXmlEntities(run));
  };
  for (const match of xml.matchAll(MARKUP)) {
    const at = match.index;
    addText(at);
    textFrom = at + match[0].length;
    const [, cdata, closing, name, attributeSource, selfClosing] = match;
    if (name === undefined) {
      // CDATA (a comment has no groups): raw text of the element being read.
      if (cdata !== undefined && item?.reading && depth === item.reading.depth + 1) {
        item.reading.parts.cdata.push(cdata);
      }
      continue;
    }
    if (closing) {
      depth--;
      if (item?.reading && depth === item.reading.depth) {
        finishChild(item, joinText(item.reading.parts));
      } else if (item && depth === item.depth) {
        if (item.found)
          for (const key of item.keys) if (!byKey.has(key)) byKey.set(key, item.extras);
        item = null;
      }
      continue;
    }
    const local = localName(name).toLowerCase();
    const attributes = attributesOf(attributeSource ?? "");
    if (item === null) {
      if (local === "item" || local === "entry") {
        item = {
          depth,
          keys: [],
          extras: { bookmarkCount: undefined, bookmarkCommentsUrl: undefined, imageUrl: undefined },
          found: false,
          seenFields: new Set(),
          reading: null,
        };
        for (const [attribute, value] of attributes) {
          if (localName(attribute) === "about") item.keys.push(decodeXmlEntities(value).trim());
        }
        if (selfClosing) item = null;
      }
    } else if (depth === item.depth + 1) {
      const field = name.startsWith(fieldPrefix)
        ? name.slice(fieldPrefix.length).toLowerCase()
        : null;
      if (local === "link" || field !== null) {
        if (local === "link") {
          const href = attributes.get("href");
          if (href !== undefined) item.keys.push(decodeXmlEntities(href).trim());
        }
        // A repeated Hatena element counts once, its first occurrence.
        const counted = field !== null && !item.seenFields.has(name);
        if (counted) item.seenFields.add(name);
        item.reading = {
          name,
          depth,
          parts: { text: [], cdata: [] },
          field: counted ? field : null,
        };
        // `<hatena:imageurl/>` is an empty field, as a parser reads it.
        if (selfClosing) finishChild(item, "");
      }
    }
    if (!selfClosing) depth++;
  }
  return byKey;
}

/** Records what the child element just read says: a link key, or a Hatena field. */
function finishChild(item: ScannedItem, text: string): void {
  const reading = item.reading;
  item.reading = null;
  if (!reading) return;
  if (localName(reading.name).toLowerCase() === "link") {
    if (text !== "") item.keys.push(text);
    return;
  }
  if (reading.field === "bookmarkcount") item.extras.bookmarkCount = text;
  else if (reading.field === "bookmarkcommentlistpageurl") item.extras.bookmarkCommentsUrl = text;
  else if (reading.field === "imageurl") item.extras.imageUrl = text;
  else return;
  item.found = true;
}

function withHatenaExtras(raw: RawFeed, xml: string, feedUrl: string): ParsedFeed {
  return finish(raw, feedUrl, readAllHatenaExtras(xml));
}

// ---------------------------------------------------------------------------------------
// Normalisation

/** `value` resolved against `base` when it is a usable http(s) URL, else null. */
function resolveHttpUrl(value: string | undefined, base: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Plain, shortened text, or null when nothing readable is left. */
function cleanText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const text = shorten(toPlainText(value), max);
  return text === "" ? null : text;
}

/** A zone we can see at the end of a date string: Z, +09:00, +0900, GMT, UT(C), EST... */
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC?|GMT|[ECMP][SD]T))$/i;

/**
 * An ISO-8601 UTC timestamp for a feed date, or null when missing or unreadable.
 * Dates without a zone are read as UTC so the result never depends on the server's TZ;
 * "JST", common in Japanese feeds but unknown to `Date`, is read as +09:00.
 */
export function toIsoDate(value: string | undefined): string | null {
  if (value === undefined) return null;
  let text = value.trim().replace(/\s+/g, " ");
  // Date.parse("12") is a date in 2001; insist on a four-digit year.
  if (!/\d{4}/.test(text)) return null;
  text = text.replace(/\bJST$/i, "+0900");
  if (!EXPLICIT_ZONE.test(text) && !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    text = /^\d{4}-\d{2}-\d{2}T/.test(text) ? `${text}Z` : `${text} GMT`;
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? date.toISOString() : null;
}

function toBookmarkCount(value: string | undefined): number | null {
  const text = value?.trim();
  if (!text || !/^\d{1,9}$/.test(text)) return null;
  return Number(text);
}

function cleanSubjects(subjects: string[]): string[] {
  const seen = new Set<string>();
  for (const subject of subjects) {
    const text = cleanText(subject, SUBJECT_MAX);
    if (text !== null) seen.add(text);
  }
  return [...seen];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function buildItem(
  raw: RawItem,
  feedBase: string | undefined,
  extrasByKey: ReadonlyMap<string, HatenaExtras>,
): ParsedItem | null {
  const base = resolveHttpUrl(raw.base, feedBase) ?? feedBase;
  const url = resolveHttpUrl(raw.link, base);
  const canonicalUrl = url === null ? null : canonicalizeUrl(url);
  if (url === null || canonicalUrl === null) return null;
  const extras = [raw.link, ...raw.aliases]
    .map((key) => (key === undefined ? undefined : extrasByKey.get(key.trim())))
    .find((found) => found !== undefined);
  return {
    url,
    canonicalUrl,
    title: cleanText(raw.title, TITLE_MAX) ?? shorten(url, TITLE_MAX),
    summary: cleanText(raw.summary, SUMMARY_MAX),
    publishedAt: toIsoDate(raw.date),
    author: cleanText(raw.author, AUTHOR_MAX),
    bookmarkCount: toBookmarkCount(extras?.bookmarkCount),
    bookmarkCommentsUrl: resolveHttpUrl(extras?.bookmarkCommentsUrl, base),
    imageUrl: resolveHttpUrl(extras?.imageUrl, base),
    subjects: cleanSubjects(raw.subjects),
  };
}

/** Cleans a raw feed: plain-text fields, absolute links, one item per canonical URL. */
function finish(
  raw: RawFeed,
  feedUrl: string,
  extrasByKey: ReadonlyMap<string, HatenaExtras>,
): ParsedFeed {
  const feedBase = resolveHttpUrl(raw.base, feedUrl) ?? resolveHttpUrl(feedUrl, undefined);
  const base = feedBase ?? undefined;
  const items: ParsedItem[] = [];
  const seen = new Set<string>();
  for (const rawItem of raw.items) {
    const item = buildItem(rawItem, base, extrasByKey);
    if (item === null || seen.has(item.canonicalUrl)) continue;
    seen.add(item.canonicalUrl);
    items.push(item);
  }
  return {
    format: raw.format,
    title: cleanText(raw.title, TITLE_MAX) ?? hostOf(feedUrl),
    siteUrl: resolveHttpUrl(raw.siteLink, base),
    items,
    ttlMinutes:
      typeof raw.ttl === "number" && Number.isFinite(raw.ttl) && raw.ttl > 0
        ? Math.min(Math.floor(raw.ttl), 24 * 60)
        : null,
  };
}
