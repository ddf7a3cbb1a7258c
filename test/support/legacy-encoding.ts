/*
 * Encodes text in the legacy Japanese encodings pages and feeds still come in, so tests can
 * serve real Shift_JIS, EUC-JP and ISO-2022-JP bytes. Node has decoders for them but no
 * encoders, so the tables are Node's own TextDecoder run backwards: whatever these bytes
 * are, the app's decoder reads them as exactly this text.
 */

/** The legacy encodings tests serve. */
export type LegacyEncoding = "shift_jis" | "euc-jp" | "iso-2022-jp";

const tables = new Map<"shift_jis" | "euc-jp", Map<string, number[]>>();

/** Every two-byte sequence of `encoding` that decodes to one character, by that character. */
function tableOf(encoding: "shift_jis" | "euc-jp"): Map<string, number[]> {
  const cached = tables.get(encoding);
  if (cached) return cached;
  const decoder = new TextDecoder(encoding, { fatal: true });
  const table = new Map<string, number[]>();
  const add = (bytes: number[]) => {
    let text: string;
    try {
      text = decoder.decode(Uint8Array.from(bytes));
    } catch {
      return;
    }
    if ([...text].length === 1 && !table.has(text)) table.set(text, bytes);
  };
  if (encoding === "shift_jis") {
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      if (lead > 0x9f && lead < 0xe0) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) if (trail !== 0x7f) add([lead, trail]);
    }
    // Half-width katakana are single bytes.
    for (let byte = 0xa1; byte <= 0xdf; byte++) add([byte]);
  } else {
    for (let lead = 0xa1; lead <= 0xfe; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) add([lead, trail]);
    }
    for (let kana = 0xa1; kana <= 0xdf; kana++) add([0x8e, kana]);
  }
  tables.set(encoding, table);
  return table;
}

/** `text` in `encoding`; throws on a character the encoding cannot carry. */
export function encodeLegacy(text: string, encoding: LegacyEncoding): Buffer {
  const bytes: number[] = [];
  if (encoding === "iso-2022-jp") {
    // ISO-2022-JP is JIS X 0208 (EUC-JP's two bytes minus 0x80) between escape sequences.
    const table = tableOf("euc-jp");
    let inJis = false;
    for (const character of text) {
      const code = character.codePointAt(0) ?? 0;
      if (code < 0x80) {
        if (inJis) bytes.push(0x1b, 0x28, 0x42);
        inJis = false;
        bytes.push(code);
        continue;
      }
      const euc = table.get(character);
      if (euc?.length !== 2) throw new Error(`${character} is not in JIS X 0208`);
      if (!inJis) bytes.push(0x1b, 0x24, 0x42);
      inJis = true;
      bytes.push((euc[0] as number) - 0x80, (euc[1] as number) - 0x80);
    }
    if (inJis) bytes.push(0x1b, 0x28, 0x42);
    return Buffer.from(bytes);
  }
  const table = tableOf(encoding);
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const encoded = table.get(character);
    if (!encoded) throw new Error(`${character} cannot be written in ${encoding}`);
    bytes.push(...encoded);
  }
  return Buffer.from(bytes);
}
