import { decodeHTML, decodeHTMLAttribute } from "entities";
import { foldWhitespace, shorten } from "../feeds/text.js";
import type { PageMetadata } from "./types.js";

/*
 * What a web page says about itself: its title, description and canonical URL, read from the
 * head of the HTML. Pure: no I/O.
 *
 * A page is hostile input. This is a small tokenizer in the shape of the HTML Standard's (tags,
 * quoted and unquoted attributes, comments, raw-text elements such as <script>), not a set of
 * regular expressions: every character is looked at a bounded number of times, so the work
 * grows with the page's length and nothing a page contains (unclosed quotes, a million `<`,
 * endless attributes) can make it slow. It stops at `</head>` or `<body>`.
 */

/** Longest title kept, in characters (as for feed titles). */
const TITLE_MAX = 300;
/** Longest description kept, in characters (as for feed summaries). */
const DESCRIPTION_MAX = 280;
/** Attributes kept per tag; the rest are read past, not stored. */
const MAX_ATTRIBUTES = 32;

/** Elements whose content is text up to their closing tag, never markup. */
const RAW_TEXT_ELEMENTS = new Set([
  "script",
  "style",
  "textarea",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "noscript",
  "template",
]);

/** The meta names and properties opsfeed reads. */
type MetaField =
  | "og:title"
  | "twitter:title"
  | "og:description"
  | "twitter:description"
  | "description"
  | "og:site_name"
  | "og:url";

const META_FIELDS = new Set<string>([
  "og:title",
  "twitter:title",
  "og:description",
  "twitter:description",
  "description",
  "og:site_name",
  "og:url",
]);

function isSpace(code: number): boolean {
  // HTML's ASCII whitespace: tab, LF, FF, CR, space.
  return code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x20;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** A start or end tag: its attributes (lower-cased names, raw values) and where it ends. */
interface Tag {
  attributes: Map<string, string>;
  /** index just after the `>`, or -1 when the document ends inside the tag */
  end: number;
}

/** Reads a tag's attributes from `from` (just after its name) to its `>`. */
function readTag(html: string, from: number): Tag {
  const attributes = new Map<string, string>();
  const length = html.length;
  let i = from;
  for (;;) {
    while (i < length && (isSpace(html.charCodeAt(i)) || html.charCodeAt(i) === 0x2f)) i++;
    if (i >= length) return { attributes, end: -1 };
    if (html.charCodeAt(i) === 0x3e /* > */) return { attributes, end: i + 1 };
    const nameStart = i;
    // A name runs to whitespace, "/", ">" or an "=" that is not its first character.
    while (i < length) {
      const code = html.charCodeAt(i);
      if (isSpace(code) || code === 0x2f || code === 0x3e) break;
      if (code === 0x3d /* = */ && i > nameStart) break;
      i++;
    }
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < length && isSpace(html.charCodeAt(i))) i++;
    let value = "";
    if (html.charCodeAt(i) === 0x3d /* = */) {
      i++;
      while (i < length && isSpace(html.charCodeAt(i))) i++;
      const quote = html.charCodeAt(i);
      if (quote === 0x22 || quote === 0x27) {
        const close = html.indexOf(String.fromCharCode(quote), i + 1);
        // An unclosed quote runs to the end of the document, as in HTML: nothing left to read.
        if (close === -1) return { attributes, end: -1 };
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueStart = i;
        while (i < length && !isSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== 0x3e) i++;
        value = html.slice(valueStart, i);
      }
    }
    // The first of two attributes with one name counts, as in HTML.
    if (name !== "" && !attributes.has(name) && attributes.size < MAX_ATTRIBUTES) {
      attributes.set(name, value);
    }
  }
}

const closingTagPatterns = new Map<string, RegExp>();

/** Where the content of a raw-text element that starts at `from` ends, and where its closing tag ends. */
function findClosingTag(html: string, name: string, from: number): { start: number; end: number } {
  let pattern = closingTagPatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`</${name}[\\s/>]`, "gi");
    closingTagPatterns.set(name, pattern);
  }
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  if (!match) return { start: html.length, end: html.length };
  const gt = html.indexOf(">", match.index);
  return { start: match.index, end: gt === -1 ? html.length : gt + 1 };
}

/** Plain text for a title or description: whitespace folded, shortened, null when empty. */
function clean(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  const folded = shorten(foldWhitespace(text), max);
  return folded === "" ? null : folded;
}

/** `href` resolved against `base` when it is an absolute-able http(s) URL, else null. */
function resolveHttp(href: string | undefined, base: string): string | null {
  const trimmed = href?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** What the head of the page at `pageUrl` says about it: title, description, canonical URL. */
export function readPageMetadata(html: string, pageUrl: string): PageMetadata {
  const meta = new Map<MetaField, string>();
  let title: string | undefined;
  let canonicalHref: string | undefined;
  let baseHref: string | undefined;
  const length = html.length;
  let i = 0;
  while (i < length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) break;
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      // A doctype, a CDATA section or a processing instruction: skipped to its ">".
      const end = html.indexOf(">", lt + 2);
      if (end === -1) break;
      i = end + 1;
      continue;
    }
    const closing = next === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      // "a < b" is text.
      i = lt + 1;
      continue;
    }
    let nameEnd = nameStart;
    while (nameEnd < length) {
      const code = html.charCodeAt(nameEnd);
      if (isSpace(code) || code === 0x2f || code === 0x3e) break;
      nameEnd++;
    }
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const tag = readTag(html, nameEnd);
    if (tag.end === -1) break;
    i = tag.end;
    if (closing) {
      if (name === "head") break;
      continue;
    }
    if (name === "body") break;
    const attribute = (key: string) => {
      const value = tag.attributes.get(key);
      return value === undefined ? undefined : decodeHTMLAttribute(value);
    };
    if (name === "meta") {
      const key = (attribute("property") ?? attribute("name") ?? "").trim().toLowerCase();
      const content = attribute("content");
      if (META_FIELDS.has(key) && content !== undefined && !meta.has(key as MetaField)) {
        meta.set(key as MetaField, content);
      }
    } else if (name === "link") {
      const rel = (attribute("rel") ?? "").toLowerCase().split(/\s+/);
      if (rel.includes("canonical") && canonicalHref === undefined)
        canonicalHref = attribute("href");
    } else if (name === "base") {
      baseHref ??= attribute("href");
    } else if (name === "title") {
      const content = findClosingTag(html, "title", i);
      title ??= decodeHTML(html.slice(i, content.start));
      i = content.end;
    } else if (RAW_TEXT_ELEMENTS.has(name)) {
      i = findClosingTag(html, name, i).end;
    }
  }
  const base = resolveHttp(baseHref, pageUrl) ?? pageUrl;
  return {
    title:
      clean(meta.get("og:title"), TITLE_MAX) ??
      clean(meta.get("twitter:title"), TITLE_MAX) ??
      clean(title, TITLE_MAX),
    description:
      clean(meta.get("og:description"), DESCRIPTION_MAX) ??
      clean(meta.get("twitter:description"), DESCRIPTION_MAX) ??
      clean(meta.get("description"), DESCRIPTION_MAX),
    canonicalUrl: resolveHttp(canonicalHref, base) ?? resolveHttp(meta.get("og:url"), base),
    siteName: clean(meta.get("og:site_name"), TITLE_MAX),
  };
}
