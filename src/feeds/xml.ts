import { type X2jOptions, XMLParser } from "fast-xml-parser";

/*
 * XML safety shared by feeds and OPML: one parser configuration under which nothing expands,
 * and the checks that run before any parser sees a document.
 */

/**
 * A fast-xml-parser with opsfeed's safe settings: entities are never processed (callers
 * decode the five XML entities themselves, so nothing can expand), attributes are kept under
 * `@name`, values stay strings, declarations and processing instructions are dropped.
 */
export function createSafeXmlParser(options: Partial<X2jOptions> = {}): XMLParser {
  return new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    ...options,
  });
}

/**
 * True when the document declares entities (`<!ENTITY` outside CDATA and comments), the
 * ingredient of "billion laughs" expansion bombs. Feeds have no need for them, so such
 * documents are refused before any parser sees them. Linear scan, no copies.
 */
export function declaresXmlEntities(xml: string): boolean {
  let i = xml.indexOf("<!");
  while (i !== -1) {
    if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i + 9);
      if (end === -1) return false;
      i = xml.indexOf("<!", end + 3);
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end === -1) return false;
      i = xml.indexOf("<!", end + 3);
    } else {
      if (xml.slice(i + 2, i + 8).toUpperCase() === "ENTITY") return true;
      i = xml.indexOf("<!", i + 2);
    }
  }
  return false;
}

/**
 * The name of the document element (e.g. `rss`, `rdf:RDF`, `feed`, `html`), skipping the
 * XML declaration, processing instructions, comments and a DOCTYPE; null when the text
 * does not start like markup.
 */
export function rootElementName(xml: string): string | null {
  let i = 0;
  for (;;) {
    const lt = xml.indexOf("<", i);
    if (lt === -1 || /\S/.test(xml.slice(i, lt))) return null;
    let end: number;
    if (xml.startsWith("<?", lt)) end = endAfter(xml, "?>", lt + 2);
    else if (xml.startsWith("<!--", lt)) end = endAfter(xml, "-->", lt + 4);
    else if (xml.startsWith("<!", lt)) end = doctypeEnd(xml, lt);
    else return /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(lt, lt + 256))?.[1] ?? null;
    if (end === -1) return null;
    i = end;
  }
}

/** Index just after the next `terminator` from `from`, or -1 when there is none. */
function endAfter(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

/** Index just after a `<!DOCTYPE ...>` at `start`, internal subset included; -1 if unclosed. */
function doctypeEnd(xml: string, start: number): number {
  const gt = xml.indexOf(">", start);
  const bracket = xml.indexOf("[", start);
  if (bracket === -1 || (gt !== -1 && gt < bracket)) return gt === -1 ? -1 : gt + 1;
  const close = xml.indexOf("]", bracket);
  return close === -1 ? -1 : endAfter(xml, ">", close);
}
