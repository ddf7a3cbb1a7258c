/**
 * Pure text helpers for feed content: HTML to plain text, entity decoding, shortening.
 *
 * Feed titles and summaries arrive as a mix of plain text, escaped HTML and real HTML.
 * We only strip things that are clearly HTML tags (a known element name), so text such
 * as `<!channel>`, `<@U024BE7LH>` or `<now available>` survives as literal text; making
 * it safe for Slack is the renderer's job, not ours.
 */

/** The five entities every XML document knows. */
const XML_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/** HTML 4 Latin-1 entities, in code point order from U+00A0 (nbsp) to U+00FF (yuml). */
const LATIN1_ENTITY_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn " +
  "sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave " +
  "Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml " +
  "ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN " +
  "szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute " +
  "icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml " +
  "yacute thorn yuml";

/** Greek letters: capitals from U+0391, small from U+03B1 (U+03A2 is unassigned). */
const GREEK_ENTITY_NAMES =
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf " +
  "sigma tau upsilon phi chi psi omega";

/** The rest of the HTML 4 entity set (special characters and symbols). */
const OTHER_ENTITIES =
  "OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 fnof:402 circ:710 tilde:732 thetasym:977 " +
  "upsih:978 piv:982 ensp:8194 emsp:8195 thinsp:8201 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 " +
  "ndash:8211 mdash:8212 lsquo:8216 rsquo:8217 sbquo:8218 ldquo:8220 rdquo:8221 bdquo:8222 " +
  "dagger:8224 Dagger:8225 bull:8226 hellip:8230 permil:8240 prime:8242 Prime:8243 lsaquo:8249 " +
  "rsaquo:8250 oline:8254 frasl:8260 euro:8364 image:8465 weierp:8472 real:8476 trade:8482 " +
  "alefsym:8501 larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 crarr:8629 lArr:8656 " +
  "uArr:8657 rArr:8658 dArr:8659 hArr:8660 forall:8704 part:8706 exist:8707 empty:8709 " +
  "nabla:8711 isin:8712 notin:8713 ni:8715 prod:8719 sum:8721 minus:8722 lowast:8727 radic:8730 " +
  "prop:8733 infin:8734 ang:8736 and:8743 or:8744 cap:8745 cup:8746 int:8747 there4:8756 " +
  "sim:8764 cong:8773 asymp:8776 ne:8800 equiv:8801 le:8804 ge:8805 sub:8834 sup:8835 " +
  "nsub:8836 sube:8838 supe:8839 oplus:8853 otimes:8855 perp:8869 sdot:8901 lceil:8968 " +
  "rceil:8969 lfloor:8970 rfloor:8971 lang:10216 rang:10217 loz:9674 spades:9824 clubs:9827 " +
  "hearts:9829 diams:9830";

/** Named HTML entities we decode: the HTML 4 set (lang/rang as HTML5 maps them) and `&apos;`. */
const HTML_ENTITIES: ReadonlyMap<string, string> = buildHtmlEntityMap();

function buildHtmlEntityMap(): Map<string, string> {
  const map = new Map<string, string>(Object.entries(XML_ENTITIES));
  LATIN1_ENTITY_NAMES.split(" ").forEach((name, i) => {
    map.set(name, String.fromCodePoint(0xa0 + i));
  });
  GREEK_ENTITY_NAMES.split(" ").forEach((name, i) => {
    map.set(name, String.fromCodePoint(0x3b1 + i));
    // No capital final sigma exists, so capitals skip U+03A2 (i = 17 is "sigmaf").
    if (name !== "sigmaf") map.set(capitalize(name), String.fromCodePoint(0x391 + i));
  });
  for (const pair of OTHER_ENTITIES.split(" ")) {
    const [name, code] = pair.split(":");
    if (name && code) map.set(name, String.fromCodePoint(Number(code)));
  }
  return map;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * What browsers show for numeric references 0x80–0x9F, indexed by code - 0x80: old
 * Windows-1252 feeds write `&#150;` meaning an en dash, not a C1 control character.
 * The five unassigned positions keep their own code.
 */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/** The character for a numeric reference; U+FFFD for ones no document may contain. */
function fromNumericReference(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252_C1.charAt(code - 0x80);
  return String.fromCodePoint(code);
}

const ENTITY_PATTERN = /&(?:#(\d{1,8});?|#[xX]([0-9a-fA-F]{1,7});?|([A-Za-z][A-Za-z0-9]{1,31});)/g;

function decodeWith(text: string, named: (name: string) => string | undefined): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY_PATTERN, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return fromNumericReference(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromNumericReference(Number.parseInt(hex, 16));
    // Unknown names stay as written: guessing would corrupt text like "AT&T;".
    return (name !== undefined && named(name)) || whole;
  });
}

/** Decodes the five XML entities and numeric character references; nothing else. */
export function decodeXmlEntities(text: string): string {
  return decodeWith(text, (name) => XML_ENTITIES[name]);
}

/** Decodes named HTML entities (HTML 4 set, incl. `&nbsp;`) and numeric references. */
export function decodeHtmlEntities(text: string): string {
  return decodeWith(text, (name) => HTML_ENTITIES.get(name));
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
