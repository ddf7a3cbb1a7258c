/**
 * Pure text helpers for feed content: HTML to plain text, entity decoding, shortening.
 *
 * Feed titles and summaries arrive as a mix of plain text, escaped HTML and real HTML.
 * We only strip things that are clearly HTML tags (a known element name), so text such
 * as `<!channel>`, `<@U024BE7LH>` or `<now available>` survives as literal text; making
 * it safe for Slack is the renderer's job, not ours.
 */

import { decodeHTMLStrict, decodeXML } from "entities";

/**
 * Decodes the five XML entities and numeric character references; nothing else. Numeric
 * references 0x80–0x9F become what browsers show (old Windows-1252 feeds write `&#150;`
 * for an en dash), and ones no document may contain become U+FFFD.
 */
export function decodeXmlEntities(text: string): string {
  return text.includes("&") ? decodeXML(text) : text;
}

/**
 * Decodes every named HTML entity (the whole HTML Standard set: `&nbsp;`, `&hellip;`, but also
 * `&check;`, `&star;`, `&NewLine;`) and numeric references, as the `entities` package does.
 * Only references ending in `;` count: feed text has already been through an XML parser, and
 * "AT&Times" there is text, not the legacy `&times` a browser would still read.
 */
export function decodeHtmlEntities(text: string): string {
  return text.includes("&") ? decodeHTMLStrict(text) : text;
}

/** Elements dropped together with their contents: code, styling and ruby readings. */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "svg",
  "math",
  "template",
  "noscript",
  "rt",
  "rp",
]);

/** Inline elements, removed without a space so "重要<b>な</b>話" stays one word. */
const INLINE_ELEMENTS = new Set([
  "a",
  "abbr",
  "acronym",
  "b",
  "bdi",
  "bdo",
  "big",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "mark",
  "nobr",
  "q",
  "ruby",
  "rb",
  "rp",
  "rt",
  "s",
  "samp",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "sup",
  "time",
  "tt",
  "u",
  "var",
  "wbr",
]);

/** Other HTML element names; these become a space so "a</p><p>b" reads "a b". */
const BLOCK_ELEMENTS = new Set(
  (
    "address area article aside audio base basefont blink blockquote body br button canvas " +
    "caption center col colgroup datalist dd details dialog dir div dl dt embed fieldset " +
    "figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html " +
    "iframe img input label legend li link main map marquee menu meta meter nav noembed noframes " +
    "object ol optgroup option output p param picture pre progress rtc search section select " +
    "slot source summary table tbody td textarea tfoot th thead title tr track ul video"
  ).split(" "),
);

/** Namespace prefixes of tags pasted from Microsoft Office (`<o:p>`), which are noise. */
const OFFICE_PREFIXES = new Set(["o", "w", "v", "st1"]);

function isHtmlElementName(name: string): boolean {
  const colon = name.indexOf(":");
  if (colon !== -1) return OFFICE_PREFIXES.has(name.slice(0, colon));
  return DROP_WITH_CONTENT.has(name) || INLINE_ELEMENTS.has(name) || BLOCK_ELEMENTS.has(name);
}

const TAG_NAME = /^<(\/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9]*)?)(?=[\s/>])/;

/** How far we honour quotes when looking for a tag's end; keeps hostile input linear. */
const QUOTE_AWARE_WINDOW = 512;

/**
 * Index just after the `>` ending a tag whose name ends at `from`, or -1. Quoted
 * attribute values may contain ">" (`<a title="a>b">`); past a short window, or with an
 * unbalanced quote, we fall back to the next ">" like lenient browsers do.
 */
function findTagEnd(html: string, from: number): number {
  const limit = Math.min(html.length, from + QUOTE_AWARE_WINDOW);
  let quote = 0;
  for (let i = from; i < limit; i++) {
    const ch = html.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 0x3e /* > */) {
      return i + 1;
    } else if (ch === 0x22 /* " */ || ch === 0x27 /* ' */) {
      quote = ch;
    }
  }
  const gt = html.indexOf(">", from);
  return gt === -1 ? -1 : gt + 1;
}

/** Index just after the closing tag of `name` from `from`, or the text's end when unclosed. */
function skipElementContent(html: string, name: string, from: number): number {
  const closing = new RegExp(`</${name}\\s*>`, "gi");
  closing.lastIndex = from;
  const match = closing.exec(html);
  return match ? match.index + match[0].length : html.length;
}

/** Removes HTML tags, comments and script/style contents; entities are left for later. */
function stripTags(html: string): string {
  if (!html.includes("<")) return html;
  // No tag can close after the last ">": stop there instead of rescanning (stays linear).
  const lastGt = html.lastIndexOf(">");
  let out = "";
  let last = 0;
  let i = html.indexOf("<");
  while (i !== -1 && i < lastGt) {
    let skipTo = -1;
    let replacement = "";
    if (html.startsWith("<!--", i)) {
      const end = html.indexOf("-->", i + 4);
      skipTo = end === -1 ? html.length : end + 3;
    } else if (html.startsWith("<![CDATA[", i)) {
      // Double-wrapped CDATA: keep the text, drop the markers.
      const end = html.indexOf("]]>", i + 9);
      out += html.slice(last, i) + html.slice(i + 9, end === -1 ? html.length : end);
      last = end === -1 ? html.length : end + 3;
      i = html.indexOf("<", last);
      continue;
    } else if (/^<!doctype\s/i.test(html.slice(i, i + 10))) {
      const end = html.indexOf(">", i);
      skipTo = end === -1 ? html.length : end + 1;
    } else {
      const tag = TAG_NAME.exec(html.slice(i, i + 64));
      const name = tag?.[2]?.toLowerCase();
      if (tag && name && isHtmlElementName(name)) {
        const end = findTagEnd(html, i + tag[0].length);
        if (end !== -1) {
          const isClosing = tag[1] === "/";
          const selfClosing = html.charCodeAt(end - 2) === 0x2f; /* / */
          skipTo =
            !isClosing && !selfClosing && DROP_WITH_CONTENT.has(name)
              ? skipElementContent(html, name, end)
              : end;
          replacement = INLINE_ELEMENTS.has(name) || name.includes(":") ? "" : " ";
        }
      }
    }
    if (skipTo === -1) {
      // Not markup (e.g. "<!channel>" or "a < b"): keep the "<" as text.
      i = html.indexOf("<", i + 1);
      continue;
    }
    out += html.slice(last, i) + replacement;
    last = skipTo;
    i = html.indexOf("<", skipTo);
  }
  return out + html.slice(last);
}

/**
 * Runs of whitespace, control characters and invisible spaces. U+3000 (ideographic
 * space) is deliberately left alone: Japanese text uses it on purpose.
 */
const FOLDABLE_SPACE = /(?:(?!\u3000)[\p{Cc}\p{Zs}\p{Zl}\p{Zp}\uFEFF])+/gu;

/** Collapses whitespace and control characters to single spaces and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(FOLDABLE_SPACE, " ").trim();
}

/**
 * Plain text from HTML or text: tags stripped (script/style dropped with their contents),
 * named and numeric entities decoded, whitespace folded. Non-tag `<...>` text is kept.
 */
export function toPlainText(htmlOrText: string): string {
  return foldWhitespace(decodeHtmlEntities(stripTags(htmlOrText)));
}

/**
 * `text` cut to at most `max` characters including a trailing "…", at a space when one
 * is near the end (English), otherwise at a character boundary (Japanese has no spaces).
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 2) return "…".slice(0, Math.max(0, max));
  let cut = max - 1;
  // Never split a surrogate pair (emoji, rare kanji) in half.
  const before = text.charCodeAt(cut - 1);
  if (before >= 0xd800 && before <= 0xdbff) cut -= 1;
  let head = text.slice(0, cut);
  const space = head.lastIndexOf(" ");
  if (space > cut * 0.7) head = head.slice(0, space);
  return `${head.trimEnd()}…`;
}
