import type { MessageTable } from "../message-table.js";

/** Why a feed or OPML file could not be read. */
export const feedParseMessages = {
  "feed.not-a-feed": {
    en: 'That address looks like a web page, not a feed. Open the page and look for its RSS or Atom link (often an RSS icon, or a `<link rel="alternate">` in the page source), then subscribe to that address instead.',
    ja: 'この URL はフィードではなく、通常のウェブページのようです。ページ内にある RSS / Atom フィードへのリンク（RSS アイコンや、ページのソースにある `<link rel="alternate">`）を探して、その URL を登録してください。',
  },
  "feed.malformed": {
    en: "The feed could not be read because it is broken ({reason}). It may be a temporary problem on the site; if it keeps happening, let the site's owner know.",
    ja: "フィードの形式が壊れているため読み込めませんでした（{reason}）。サイト側の一時的な問題かもしれません。続くようであればサイトの管理者に知らせてください。",
  },
  "feed.entity-expansion": {
    en: "The feed declares its own XML entities (`<!ENTITY>` in a DTD). opsfeed refuses such documents for safety, because they can be used to exhaust memory.",
    ja: "このフィードは独自の XML エンティティ（DTD 内の `<!ENTITY>`）を宣言しています。メモリを使い果たす攻撃に使われることがあるため、opsfeed では安全のため読み込みません。",
  },
  "opml.malformed": {
    en: "The OPML file could not be read ({reason}). Export it again from your feed reader and upload the new file.",
    ja: "OPML ファイルを読み込めませんでした（{reason}）。お使いのフィードリーダーからもう一度エクスポートして、新しいファイルをアップロードしてください。",
  },
} as const satisfies MessageTable;
