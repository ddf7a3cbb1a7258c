import type { MessageTable } from "../message-table.js";

/**
 * Realtime subscriptions: their grammar's errors, the replies to `subscribe` and `list`, and
 * the posts themselves (each new article of a status or incident feed, and its updates in the
 * post's thread). Slack mrkdwn: a literal `<` or `>` is written `&lt;` / `&gt;`.
 */
export const realtimeMessages = {
  "parse.invalid-mention": {
    en: "`{detail}` is not a mention opsfeed can post. Use `mention:` with a person or a user group picked from Slack's suggestions, like `mention:@alice` or `mention:@ops-oncall`.",
    ja: "`{detail}` は投稿に使えるメンションではありません。`mention:` の後に Slack の候補から選んだ人かユーザーグループを指定してください (例: `mention:@alice`、`mention:@ops-oncall`)。",
  },
  "parse.mention-needs-realtime": {
    en: "`{detail}` only works with `realtime`: a digest mentions no one. Add `realtime` to post each new article at once with that mention.",
    ja: "`{detail}` は `realtime` と一緒にしか使えません (ダイジェストでは誰にもメンションしません)。新しい記事をすぐにメンション付きで投稿するには `realtime` を付けてください。",
  },
  "subscribe.realtime": {
    en: "Realtime: each new article of this feed is posted here as its own message as soon as a poll finds it (every {interval}), instead of waiting for the digest. The articles it holds now are not posted.",
    ja: "リアルタイム: このフィードの新しい記事は、ダイジェストを待たずに、巡回で見つかり次第 ({interval}ごと) ここに 1 件ずつ投稿されます。現在フィードにある記事は投稿しません。",
  },
  "subscribe.realtime-mention": {
    en: "Each realtime post mentions {mention}.",
    ja: "リアルタイム投稿では {mention} にメンションします。",
  },
  "subscribe.switched-realtime": {
    en: "Switched this subscription to realtime posts.",
    ja: "この購読をリアルタイム投稿に切り替えました。",
  },
  "subscribe.switched-digest": {
    en: "Switched this subscription back to the digest: articles the feed carries from now on go into the channel's digest; those posted in realtime (and older ones) are not repeated there.",
    ja: "この購読をダイジェストに戻しました。これ以降にフィードに載った記事がダイジェストに入ります。リアルタイムで投稿済みの記事やそれより前の記事は、ダイジェストには含めません。",
  },
  "subscribe.mention-changed": {
    en: "Realtime posts no longer mention anyone.",
    ja: "リアルタイム投稿でのメンションをやめました。",
  },
  "realtime.interval-seconds": { en: "{count} s", ja: "{count} 秒" },
  "realtime.interval-minutes": { en: "{count} min", ja: "{count} 分" },
  "list.mode-digest": { en: "in the digest", ja: "ダイジェスト" },
  "list.mode-realtime": { en: "realtime", ja: "リアルタイム" },
  "list.mode-realtime-mention": {
    en: "realtime, mentions {mention}",
    ja: "リアルタイム ({mention} にメンション)",
  },
  "realtime.fallback": {
    en: "{title} ({source})",
    ja: "{title} ({source})",
  },
  "realtime.update": {
    en: "*Update:* {title}",
    ja: "*更新:* {title}",
  },
  "realtime.update-fallback": {
    en: "Update: {title}",
    ja: "更新: {title}",
  },
  "realtime.title-changed": {
    en: "The title was: {title}",
    ja: "変更前のタイトル: {title}",
  },
} as const satisfies MessageTable;
