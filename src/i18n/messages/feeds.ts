import type { MessageTable } from "../message-table.js";

/** Subscriptions, the channel's feed list, feed health notices and the poller. */
export const feedMessages = {
  "subscribe.created": {
    en: "Subscribed this channel to *<{url}|{title}>*. The feed holds {count} articles now; {matching} pass this subscription's filters.",
    ja: "このチャンネルで *<{url}|{title}>* を購読しました。現在フィードには {count} 件の記事があり、そのうち {matching} 件が絞り込み条件に合っています。",
  },
  "subscribe.updated": {
    en: "This channel already follows *<{url}|{title}>*, so its filters were updated. {matching} of its {count} articles pass them.",
    ja: "このチャンネルはすでに *<{url}|{title}>* を購読しているため、絞り込み条件を更新しました。{count} 件中 {matching} 件が条件に合っています。",
  },
  "subscribe.filters": {
    en: "Filters: {filters}",
    ja: "絞り込み条件: {filters}",
  },
  "subscribe.schedule-created": {
    en: "This is the channel's first subscription, so its digest is scheduled at {time} on {days} ({zone}). Change it with `/opsfeed digest at HH:MM [daily|weekdays] [time-zone]`.",
    ja: "このチャンネルで最初の購読なので、ダイジェストを{days}の {time} ({zone}) に設定しました。`/opsfeed digest at HH:MM [daily|weekdays] [タイムゾーン]` で変更できます。",
  },
  "schedule.days.daily": { en: "every day", ja: "毎日" },
  "schedule.days.weekdays": { en: "weekdays", ja: "平日" },
  "unsubscribe.done": {
    en: "Unsubscribed this channel from *<{url}|{title}>*.",
    ja: "このチャンネルの *<{url}|{title}>* の購読を解除しました。",
  },
  "subscription.not-found": {
    en: "This channel has no subscription {target}. `/opsfeed list` shows its subscriptions and their ids.",
    ja: "このチャンネルには {target} の購読がありません。`/opsfeed list` で購読とその id を確認できます。",
  },
  "list.empty": {
    en: "This channel has no subscriptions yet. Add one with `/opsfeed subscribe &lt;feed-url&gt;`.",
    ja: "このチャンネルにはまだ購読がありません。`/opsfeed subscribe &lt;フィードのURL&gt;` で追加できます。",
  },
  "list.heading": {
    en: "*This channel's subscriptions ({count})*",
    ja: "*このチャンネルの購読 ({count} 件)*",
  },
  "list.item": {
    en: "`{id}` *<{url}|{title}>*\n{url}",
    ja: "`{id}` *<{url}|{title}>*\n{url}",
  },
  "list.no-filters": { en: "no filters", ja: "絞り込みなし" },
  "list.last-fetch": { en: "last fetch: {time}", ja: "最終取得: {time}" },
  "list.never-fetched": { en: "not fetched yet", ja: "未取得" },
  "list.last-error": {
    en: ":warning: last error ({failures} in a row): {error}",
    ja: ":warning: 直近のエラー ({failures} 回連続): {error}",
  },
  "list.more": {
    en: "…and {count} more subscriptions not shown.",
    ja: "…ほか {count} 件の購読は表示を省略しました。",
  },
  "notice.outage": {
    en: ":warning: The feed *<{url}|{title}>* has failed since {since}: {error} opsfeed keeps retrying, less often, and will say here when it works again.",
    ja: ":warning: フィード *<{url}|{title}>* の取得に {since} から失敗しています: {error} 間隔を空けながら再試行を続け、復旧したらここでお知らせします。",
  },
  "notice.recovered": {
    en: ":white_check_mark: The feed *<{url}|{title}>* works again.",
    ja: ":white_check_mark: フィード *<{url}|{title}>* の取得が復旧しました。",
  },
} as const satisfies MessageTable;
