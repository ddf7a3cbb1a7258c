import type { MessageTable } from "../message-table.js";

/** The daily digest: its header, article lines, team activity, buttons and closing line. */
export const digestMessages = {
  "digest.header": {
    en: "opsfeed digest — {date}",
    ja: "opsfeed ダイジェスト — {date}",
  },
  "digest.count.none": {
    en: "No new articles · time zone {zone}",
    ja: "新着記事はありません · タイムゾーン {zone}",
  },
  "digest.count.one": {
    en: "*{count}* new article · time zone {zone}",
    ja: "新着記事 *{count}* 件 · タイムゾーン {zone}",
  },
  "digest.count.other": {
    en: "*{count}* new articles · time zone {zone}",
    ja: "新着記事 *{count}* 件 · タイムゾーン {zone}",
  },
  "digest.continued": {
    en: "opsfeed digest — {date} (continued, part {part} of {parts})",
    ja: "opsfeed ダイジェスト — {date} (続き {part}/{parts})",
  },
  "digest.fallback.one": {
    en: "opsfeed digest for {date}: {count} new article",
    ja: "{date} の opsfeed ダイジェスト: 新着記事 {count} 件",
  },
  "digest.fallback.other": {
    en: "opsfeed digest for {date}: {count} new articles",
    ja: "{date} の opsfeed ダイジェスト: 新着記事 {count} 件",
  },
  "digest.fallback.part": {
    en: " (part {part} of {parts})",
    ja: " ({part}/{parts})",
  },
  // "users" is what Hatena Bookmark itself shows beside a count, in Japanese too.
  "digest.bookmarks": {
    en: "🔖 {count} users",
    ja: "🔖 {count} users",
  },
  "digest.activity.saved": { en: "📚 {count}", ja: "📚 {count}" },
  "digest.activity.comments": { en: "💬 {count}", ja: "💬 {count}" },
  "digest.activity.assignees": { en: "👤 {users}", ja: "👤 {users}" },
  "digest.activity.more-assignees": { en: "+{count} more", ja: "ほか {count} 人" },
  "digest.activity.done": { en: "✅ {count}", ja: "✅ {count}" },
  "digest.button.read-later": { en: "Read later", ja: "あとで読む" },
  "digest.button.assign": { en: "Assign", ja: "割り当てる" },
  "digest.button.comment": { en: "Comment", ja: "コメント" },
  "digest.button.done": { en: "Done", ja: "既読にする" },
  "digest.overflow.one": {
    en: "…and {count} more new article. Raise OPSFEED_DIGEST_MAX_ARTICLES or add filters to see fewer.",
    ja: "…ほか {count} 件の新着記事は省略しました。表示件数を増やすには OPSFEED_DIGEST_MAX_ARTICLES を引き上げ、件数を減らすには絞り込み条件を追加してください。",
  },
  "digest.overflow.other": {
    en: "…and {count} more new articles. Raise OPSFEED_DIGEST_MAX_ARTICLES or add filters to see fewer.",
    ja: "…ほか {count} 件の新着記事は省略しました。表示件数を増やすには OPSFEED_DIGEST_MAX_ARTICLES を引き上げ、件数を減らすには絞り込み条件を追加してください。",
  },
} as const satisfies MessageTable;
