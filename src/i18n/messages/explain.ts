import type { MessageTable } from "../message-table.js";

/**
 * Finding and explaining (issue 13): Hatena shortcuts, `preview` in Slack, `why` and the
 * Hatena Bookmark comments. Slack mrkdwn: a literal `<` or `>` is written `&lt;` / `&gt;`.
 */
export const explainMessages = {
  "usage.hatena-shortcuts": {
    en: "instead of a feed URL, `hatena:hot:&lt;category&gt;` follows Hatena Bookmark's hot entries (`all`, `general`, `social`, `economics`, `life`, `knowledge`, `it`, `fun`, `entertainment`, `game`) and `hatena:search:&lt;words&gt;` its keyword search (words joined by `,` or `+`), e.g. `hatena:search:障害 min:50`",
    ja: "フィード URL の代わりに `hatena:hot:&lt;カテゴリ&gt;` ではてなブックマークの人気エントリー (`all`・`general`・`social`・`economics`・`life`・`knowledge`・`it`・`fun`・`entertainment`・`game`)、`hatena:search:&lt;語&gt;` でキーワード検索 (語は `,` か `+` でつなぎます) を購読できます。例: `hatena:search:障害 min:50`",
  },
  "usage.preview": {
    en: "show what `subscribe` with these filters would deliver now, and how many articles each filter drops; nothing is stored",
    ja: "このフィルタで `subscribe` したら今どの記事が届くか、各フィルタで何件除外されるかを表示します (何も保存しません)",
  },
  "usage.why": {
    en: "explain what became of an article in this channel: which subscriptions carry it, which filter dropped it, the digest it was posted in, or whether it waits for the next one",
    ja: "このチャンネルで記事がどうなったかを説明します: どの購読が運んだか、どのフィルタで除外されたか、どのダイジェストに載ったか、次のダイジェストを待っているか",
  },
  "usage.hatena": {
    en: "show the article's public Hatena Bookmark comments, newest first",
    ja: "記事に付いたはてなブックマークの公開コメントを新しい順に表示します",
  },
  "parse.invalid-hatena-category": {
    en: "`{detail}` is not a Hatena hot-entry category. Use `hatena:hot:` with one of `all`, `general`, `social`, `economics`, `life`, `knowledge`, `it`, `fun`, `entertainment`, `game`.",
    ja: "`{detail}` ははてなブックマークの人気エントリーのカテゴリではありません。`hatena:hot:` に続けて `all`・`general`・`social`・`economics`・`life`・`knowledge`・`it`・`fun`・`entertainment`・`game` のどれかを指定してください。",
  },
  "parse.invalid-hatena-search": {
    en: "`{detail}` has no words to search for: use `hatena:search:word` (several words joined by `,` or `+`).",
    ja: "`{detail}` には検索する語がありません。`hatena:search:語` の形で指定してください (複数の語は `,` か `+` でつなぎます)。",
  },

  // `/opsfeed preview`
  "preview.heading": {
    en: "*Preview of <{url}|{title}>* ({format}): {count} articles, *{matching}* pass the filters. Nothing was stored.",
    ja: "*<{url}|{title}> のプレビュー* ({format}): 記事 {count} 件のうち *{matching}* 件がフィルタを通ります。何も保存していません。",
  },
  "preview.no-filters": {
    en: "No filters: every article would be delivered.",
    ja: "フィルタなし: すべての記事が届きます。",
  },
  "preview.dropped": {
    en: "Dropped by `{filters}`: `include:` {include}, `exclude:` {exclude}, `min:` {min} (each article counted under the first filter that drops it, in that order: `min:`, `include:`, `exclude:`).",
    ja: "`{filters}` で除外: `include:` {include} 件、`exclude:` {exclude} 件、`min:` {min} 件 (記事は `min:`・`include:`・`exclude:` の順で最初に除外したフィルタに数えます)。",
  },
  "preview.none-match": {
    en: "No article of the feed passes these filters right now.",
    ja: "今このフィルタを通る記事はありません。",
  },
  "preview.bookmarks": {
    en: "{count} users",
    ja: "{count} users",
  },
  "preview.more": {
    en: "… and {count} more.",
    ja: "… ほか {count} 件。",
  },
} as const satisfies MessageTable;
