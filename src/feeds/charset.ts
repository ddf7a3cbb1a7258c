import { TextDecoder } from "node:util";

/*
 * Bytes to text for documents fetched from the web, feeds and pages alike. The encoding is
 * chosen the way the specs say a reader must (RFC 7303 for XML, the HTML Standard's encoding
 * sniffing for HTML), so a Japanese page or feed reads right whichever way it declares itself:
 *
 * 1. a byte order mark: it is the bytes themselves, so it wins (RFC 7303 §3.2, HTML's BOM sniff);
 * 2. the `charset` parameter of the Content-Type header: the server's word wins over what the
 *    document says about itself;
 * 3. what the document says: the XML declaration's `encoding`, or HTML's `<meta charset>` /
 *    `<meta http-equiv="Content-Type">` in the first 1,024 bytes, unless the bytes contradict
 *    it: a body that claims Shift_JIS (or EUC-JP, or Latin-1) but is valid UTF-8 with
 *    non-ASCII characters is a UTF-8 file whose template was not updated, because real
 *    Japanese text in those encodings is never valid UTF-8;
 * 4. UTF-8.
 *
 * Pure: no I/O. Undecodable bytes become U+FFFD rather than failing the document.
 */

/** How a document declares its own encoding: an XML declaration, or HTML's meta tags. */
export type DocumentKind = "xml" | "html";

/** Labels Japanese servers send that the WHATWG Encoding Standard spells differently. */
const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  cp932: "shift_jis",
  "windows-932": "shift_jis",
  "eucjp-ms": "euc-jp",
  "eucjp-win": "euc-jp",
  // The HTML Standard reads x-user-defined as windows-1252 for the purpose of decoding.
  "x-user-defined": "windows-1252",
};

/** How far HTML's prescan looks for a meta charset, in bytes (the HTML Standard's figure). */
const HTML_PRESCAN_BYTES = 1024;

/** How far the XML declaration may be from the start of the body. */
const XML_DECLARATION_BYTES = 512;

/** A decoder for `label` (any label the Encoding Standard knows, or an alias), or null. */
export function decoderFor(label: string): TextDecoder | null {
  const normalized = label.trim().toLowerCase();
  try {
    return new TextDecoder(ENCODING_ALIASES[normalized] ?? normalized);
  } catch {
    return null;
  }
}

/** The `charset` parameter of a Content-Type header value, or null when it has none. */
export function charsetOfContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  for (const parameter of contentType.split(";").slice(1)) {
    const equals = parameter.indexOf("=");
    if (equals === -1) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    const value = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .trim();
    return value === "" ? null : value;
  }
  return null;
}

/** The encoding a byte order mark names, or null when the body starts without one. */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/** The encoding an XML declaration at the start of the body names, or null. */
function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, XML_DECLARATION_BYTES)).toString("latin1");
  const declared = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  // The declaration could be read as ASCII, so the bytes are not really UTF-16.
  if (!declared || /^utf-?16/i.test(declared)) return null;
  return declared;
}

/**
 * The encoding a `<meta charset>` or `<meta http-equiv="Content-Type" content="…;
 * charset=…">` in the first 1,024 bytes names, or null: a simplified form of the HTML
 * Standard's prescan (comments skipped, the first meta that names an encoding wins).
 */
function htmlMetaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, HTML_PRESCAN_BYTES)).toString("latin1");
  const metaTag = /<!--[\s\S]*?-->|<meta[\s/]([^>]*)>?/gi;
  for (let match = metaTag.exec(head); match; match = metaTag.exec(head)) {
    const attributes = match[1];
    if (attributes === undefined) continue;
    const found = charsetInMetaAttributes(attributes);
    if (found) return found;
  }
  return null;
}

function charsetInMetaAttributes(text: string): string | null {
  const attributes = new Map<string, string>();
  const attribute = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]+)))?/g;
  for (let match = attribute.exec(text); match; match = attribute.exec(text)) {
    const name = (match[1] ?? "").toLowerCase();
    // The first of two attributes with one name counts, as in HTML.
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? match[4] ?? "");
  }
  const charset = attributes.get("charset")?.trim();
  if (charset) return charset;
  if (attributes.get("http-equiv")?.trim().toLowerCase() !== "content-type") return null;
  const content = attributes.get("content") ?? "";
  return /charset\s*=\s*["']?([^\s"';]+)/i.exec(content)?.[1] ?? null;
}

/** A decoder for what the document says about itself, or null when it says nothing usable. */
function declaredDecoder(bytes: Uint8Array, kind: DocumentKind): TextDecoder | null {
  const label = kind === "xml" ? xmlDeclaredEncoding(bytes) : htmlMetaCharset(bytes);
  if (label === null) return null;
  const decoder = decoderFor(label);
  // The HTML Standard: a meta claiming UTF-16 was read as ASCII, so it means UTF-8.
  if (kind === "html" && decoder?.encoding.startsWith("utf-16")) return decoderFor("utf-8");
  return decoder;
}

/** True when the bytes hold non-ASCII characters and are valid UTF-8 throughout. */
function isNonAsciiUtf8(bytes: Uint8Array): boolean {
  if (!bytes.some((byte) => byte >= 0x80)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The decoder for a body: its BOM, else the Content-Type charset, else its own declaration, else UTF-8. */
export function chooseDecoder(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  kind: DocumentKind,
): TextDecoder {
  const utf8 = decoderFor("utf-8") as TextDecoder;
  const bom = bomEncoding(bytes);
  if (bom) return decoderFor(bom) as TextDecoder;
  const fromHeader = charsetOfContentType(contentType);
  const headerDecoder = fromHeader === null ? null : decoderFor(fromHeader);
  if (headerDecoder) return headerDecoder;
  const declared = declaredDecoder(bytes, kind);
  if (declared && declared.encoding !== "utf-8" && isNonAsciiUtf8(bytes)) return utf8;
  return declared ?? utf8;
}

/**
 * The text of a fetched document, decoded as its BOM, its Content-Type, its own declaration
 * or UTF-8 say, in that order. A string passes through with any BOM removed.
 */
export function decodeDocument(
  body: string | Uint8Array,
  contentType: string | null | undefined,
  kind: DocumentKind,
): string {
  if (typeof body === "string") return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  // TextDecoder drops the BOM of the encoding it decodes.
  return chooseDecoder(body, contentType, kind).decode(body);
}
