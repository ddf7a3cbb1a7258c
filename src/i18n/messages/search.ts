import type { MessageTable } from "../message-table.js";

/** `/opsfeed search <words>`: results, paging, and refused queries. */
export const searchMessages = {
  "usage.search": {
    en: "find the articles this channel has seen (its feeds, saves and comments) whose title, summary or comments contain every word; case and width ignored, Japanese words of any length",
    ja: "このチャンネルで見た記事 (購読フィード・保存・コメント) から、タイトル・概要・コメントにすべての語を含むものを探します。大文字小文字・全角半角は区別せず、日本語は1文字から検索できます",
  },
  "search.heading": {
    en: "Articles this channel has seen matching {query} ({from}–{to}{more}):",
    ja: "このチャンネルで見た記事のうち {query} に一致するもの ({from}–{to} 件目{more}):",
  },
  "search.heading.more": { en: ", more follow", ja: "、続きあり" },
  "search.none": {
    en: "No article this channel has seen matches {query}. Every word must appear in the title, summary or a comment.",
    ja: "このチャンネルで見た記事に {query} に一致するものはありません。すべての語がタイトル・概要・コメントのどれかに含まれている必要があります。",
  },
  "search.no-more": {
    en: "No more articles match {query}.",
    ja: "{query} に一致する記事はこれ以上ありません。",
  },
  "search.button.next": { en: "Next 10 →", ja: "次の10件 →" },
  "search.empty-query": {
    en: "Give the words to search for, like `/opsfeed search 障害 postgres`.",
    ja: "検索する語を指定してください (例: `/opsfeed search 障害 postgres`)。",
  },
  "search.query-too-long": {
    en: "That search is {length} characters long; opsfeed searches for at most {max}. Use fewer or shorter words.",
    ja: "検索語が {length} 文字あります。検索できるのは {max} 文字までです。語を減らすか短くしてください。",
  },
  "search.too-many-words": {
    en: "That search has {count} words; opsfeed searches for at most {max} at once. Leave some out.",
    ja: "検索語が {count} 語あります。一度に検索できるのは {max} 語までです。いくつか減らしてください。",
  },
  "search.bad-offset": {
    en: "opsfeed shows at most {max} results of one search. Search again with more words to narrow it down.",
    ja: "1回の検索で表示できるのは {max} 件までです。語を増やして絞り込んでください。",
  },
} as const satisfies MessageTable;
