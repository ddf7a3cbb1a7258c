import type { MessageTable } from "../message-table.js";

/** The weekly reading report and its schedule. */
export const reportMessages = {
  "report.header": { en: "📊 Weekly reading report", ja: "📊 週次閲読レポート" },
  "report.period": {
    en: "This channel, {from} – {to}",
    ja: "このチャンネル、{from} 〜 {to}",
  },
  "report.summary": {
    en: "*{posted}* articles posted · assignments: *{opened}* opened, *{done}* done, *{overdue}* overdue",
    ja: "投稿された記事 *{posted}* 件 · 割り当て: 新規 *{opened}* 件、完了 *{done}* 件、期限切れ *{overdue}* 件",
  },
  "report.saved.heading": { en: "*Most saved*", ja: "*よく保存された記事*" },
  "report.saved.item": {
    en: "{rank}. {article} — 🔖 saves: {count}",
    ja: "{rank}. {article} — 🔖 {count} 回保存",
  },
  "report.saved.none": {
    en: "Nothing was saved from this channel.",
    ja: "このチャンネルから保存された記事はありません。",
  },
  "report.discussed.heading": { en: "*Most discussed*", ja: "*よく議論された記事*" },
  "report.discussed.item": {
    en: "{rank}. {article} — 💬 comments: {count}",
    ja: "{rank}. {article} — 💬 コメント {count} 件",
  },
  "report.discussed.none": {
    en: "Nobody commented here.",
    ja: "このチャンネルでのコメントはありません。",
  },
  "report.more-articles": { en: "…and {count} more articles", ja: "…ほか {count} 件" },
  "report.feeds.heading": { en: "*Feeds that failed*", ja: "*取得に失敗しているフィード*" },
  "report.feeds.item": {
    en: "{feed} — failing since {since} ({failures} attempts): {error}",
    ja: "{feed} — {since} から失敗 ({failures} 回): {error}",
  },
  "report.feeds.none": {
    en: "✅ Every feed of this channel works.",
    ja: "✅ このチャンネルのフィードはすべて正常です。",
  },
  "report.feeds.more": {
    en: "…and {count} more failing feeds (`/opsfeed list`)",
    ja: "…ほか {count} 件 (`/opsfeed list` で確認できます)",
  },
  "report.schedule.set": {
    en: "Posted here every {weekday} at {time} ({zone}); next {next}.",
    ja: "毎週{weekday} {time} ({zone}) にこのチャンネルへ投稿されます。次回は {next} です。",
  },
  "report.schedule.none": {
    en: "Post it here every week with `/opsfeed report at fri 17:00 [time-zone]`.",
    ja: "`/opsfeed report at fri 17:00 [time-zone]` で毎週このチャンネルに投稿できます。",
  },
  "report.fallback": {
    en: "Weekly reading report: {posted} articles posted",
    ja: "週次閲読レポート: 投稿された記事 {posted} 件",
  },
  "report.set-reply": {
    en: "The weekly report will be posted in this channel every {weekday} at {time} ({zone}); the first on {next}.",
    ja: "週次レポートを毎週{weekday} {time} ({zone}) にこのチャンネルへ投稿します。初回は {next} です。",
  },
  "report.off-reply": {
    en: "The weekly report of this channel is stopped.",
    ja: "このチャンネルの週次レポートを停止しました。",
  },
  "report.off-none": {
    en: "This channel has no weekly report to stop.",
    ja: "このチャンネルに週次レポートは設定されていません。",
  },
  "report.weekday.0": { en: "Sunday", ja: "日曜日" },
  "report.weekday.1": { en: "Monday", ja: "月曜日" },
  "report.weekday.2": { en: "Tuesday", ja: "火曜日" },
  "report.weekday.3": { en: "Wednesday", ja: "水曜日" },
  "report.weekday.4": { en: "Thursday", ja: "木曜日" },
  "report.weekday.5": { en: "Friday", ja: "金曜日" },
  "report.weekday.6": { en: "Saturday", ja: "土曜日" },
} as const satisfies MessageTable;
