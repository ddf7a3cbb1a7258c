import type { MessageTable } from "../message-table.js";

/**
 * Help and parse-error strings of the `/opsfeed` command. They are Slack mrkdwn, so a
 * literal `<` or `>` is written `&lt;` / `&gt;` (Slack would read a bare one as markup).
 * The command syntax itself is not translated: it lives in `commands/usage.ts`.
 */
export const commandMessages = {
  "usage.title": {
    en: "*How to use `/opsfeed`*",
    ja: "*`/opsfeed` の使い方*",
  },
  "usage.heading": {
    en: "Usage:",
    ja: "使い方:",
  },
  "usage.notes": {
    en: "`&lt;article&gt;` is the number shown beside an article in digests and lists (like `42`), or the article's URL. For `&lt;@user&gt;`, type `@` and pick the person from Slack's suggestions.",
    ja: "`&lt;article&gt;` には、ダイジェストや一覧で記事の横に表示される番号 (例: `42`) か、記事の URL を指定します。`&lt;@user&gt;` は `@` を入力し、Slack の候補から相手を選んでください。",
  },
  "usage.help": {
    en: "show this help",
    ja: "このヘルプを表示します",
  },
  "usage.subscribe": {
    en: "subscribe this channel to a feed (RSS, Atom or JSON Feed); `include:` and `exclude:` keep or drop articles by words in their title or summary, `min:` drops Hatena Bookmark entries with fewer than N bookmarks; `realtime` posts each new article at once (status and incident feeds) instead of in the digest, and `mention:` names who those posts mention",
    ja: "このチャンネルでフィード (RSS・Atom・JSON Feed) を購読します。`include:` / `exclude:` はタイトルや概要に含まれる語で記事を絞り込み・除外し、`min:` はブックマーク数が N 未満のはてなブックマークのエントリを除外します。`realtime` を付けると新しい記事をダイジェストを待たずにすぐ投稿し (障害・ステータス情報向け)、`mention:` でその投稿のメンション先を指定します",
  },
  "usage.unsubscribe": {
    en: "remove one of this channel's subscriptions (its id is in `/opsfeed list`)",
    ja: "このチャンネルの購読を解除します (id は `/opsfeed list` で確認できます)",
  },
  "usage.list": {
    en: "list this channel's subscriptions",
    ja: "このチャンネルの購読一覧を表示します",
  },
  "usage.digest-now": {
    en: "post the digest of new articles in this channel now",
    ja: "新着記事のダイジェストを今すぐこのチャンネルに投稿します",
  },
  "usage.digest-at": {
    en: "schedule this channel's digest, every day or on weekdays, in an IANA time zone such as `Asia/Tokyo`",
    ja: "このチャンネルのダイジェストの投稿時刻を設定します。`daily` (毎日) か `weekdays` (平日のみ) と、`Asia/Tokyo` のような IANA タイムゾーンも指定できます",
  },
  "usage.digest-off": {
    en: "stop this channel's scheduled digest",
    ja: "このチャンネルの定期ダイジェストを停止します",
  },
  "usage.digest-show": {
    en: "show this channel's digest schedule and when the next digest is due",
    ja: "このチャンネルのダイジェストの予定と次回の投稿時刻を表示します",
  },
  "usage.later-list": {
    en: "show your read-later queue",
    ja: "あなたの「あとで読む」リストを表示します",
  },
  "usage.later-add": {
    en: "add an article to your read-later queue",
    ja: "記事を「あとで読む」リストに追加します",
  },
  "usage.done": {
    en: "mark an article as read: it leaves your queue and completes its assignment to you",
    ja: "記事を既読にします。「あとで読む」リストから外れ、あなたへの割り当ても完了になります",
  },
  "usage.assign": {
    en: "assign an article to a teammate, with an optional note and due date (`due:tomorrow`, `due:fri`, `due:12-24`, `due:2026-12-24`, `due:明日`: the assignee's own date); they get a direct message, and a reminder at 09:00 their time on the due day",
    ja: "記事をチームメイトに割り当てます (メモと期限は任意。`due:tomorrow`・`due:fri`・`due:12-24`・`due:2026-12-24`・`due:明日` など、日付は相手のタイムゾーンで解釈)。相手にはダイレクトメッセージが届き、期限の日の相手の 9:00 にリマインダーが届きます",
  },
  "usage.assigned": {
    en: "show what is assigned to you, and what you assigned that is still open",
    ja: "あなたに割り当てられた記事と、あなたが割り当ててまだ完了していない記事を表示します",
  },
  "usage.comment": {
    en: "comment on an article; the comment also goes to the thread of its digest",
    ja: "記事にコメントします。コメントはダイジェストのスレッドにも投稿されます",
  },
  "usage.comments": {
    en: "show an article's comments",
    ja: "記事へのコメントを表示します",
  },

  "usage.report": {
    en: "this channel's reading report for the last 7 days: articles posted, most saved, most discussed, assignments, feeds that failed",
    ja: "このチャンネルの過去 7 日間の閲読レポート (投稿された記事、保存・コメントの多い記事、割り当て、失敗したフィード) を表示します",
  },
  "usage.report-at": {
    en: "post the report in this channel every week at that time (`mon`…`sun` or `月曜`…`日曜`, 24-hour time, an IANA time zone such as `Asia/Tokyo`)",
    ja: "毎週その時刻にレポートをこのチャンネルに投稿します (`mon`…`sun` か `月曜`…`日曜`、24 時間表記の時刻、`Asia/Tokyo` のような IANA タイムゾーン)",
  },
  "usage.report-off": {
    en: "stop this channel's weekly report",
    ja: "このチャンネルの週次レポートを停止します",
  },

  "parse.unknown-subcommand": {
    en: "`{detail}` is not an `/opsfeed` subcommand.",
    ja: "`{detail}` という `/opsfeed` のサブコマンドはありません。",
  },
  "parse.missing-argument": {
    en: "`/opsfeed {subcommand}` needs `{detail}`.",
    ja: "`/opsfeed {subcommand}` には `{detail}` の指定が必要です。",
  },
  "parse.unexpected-argument": {
    en: "`{detail}` was not expected here.",
    ja: "`{detail}` はここには指定できません。",
  },
  "parse.invalid-url": {
    en: "`{detail}` is not an http or https URL.",
    ja: "`{detail}` は http または https の URL ではありません。",
  },
  "parse.invalid-article": {
    en: "`{detail}` is not an article: give its number (like `42`) or its URL.",
    ja: "`{detail}` は記事として認識できません。記事の番号 (例: `42`) か URL を指定してください。",
  },
  "parse.invalid-subscription": {
    en: "`{detail}` is not a subscription: give its id from `/opsfeed list`, or the feed URL.",
    ja: "`{detail}` は購読として認識できません。`/opsfeed list` に表示される id か、フィードの URL を指定してください。",
  },
  "parse.invalid-option": {
    en: "`{detail}` is not a valid option. The options are `include:word,word`, `exclude:word,word` and `min:N`, each at most once and with at least one word.",
    ja: "`{detail}` は正しいオプションではありません。使えるのは `include:語,語`・`exclude:語,語`・`min:N` で、それぞれ 1 回まで、語は 1 つ以上必要です。",
  },
  "parse.invalid-min": {
    en: "`{detail}` is not a valid minimum: `min:` takes a whole number from 0 to {max}.",
    ja: "`{detail}` は正しい下限ではありません。`min:` には 0 から {max} までの整数を指定してください。",
  },
  "parse.invalid-time": {
    en: "`{detail}` is not a time: use HH:MM on a 24-hour clock, like `9:00` or `18:30`.",
    ja: "`{detail}` は時刻として認識できません。`9:00` や `18:30` のように 24 時間表記の HH:MM で指定してください。",
  },
  "parse.invalid-days": {
    en: "`{detail}` is not a choice of days: use `daily` or `weekdays`.",
    ja: "`{detail}` は曜日の指定として認識できません。`daily` (毎日) か `weekdays` (平日) を指定してください。",
  },
  "parse.invalid-time-zone": {
    en: "`{detail}` is not an IANA time zone: use a name like `Asia/Tokyo`, `Europe/London` or `UTC`.",
    ja: "`{detail}` は IANA タイムゾーンではありません。`Asia/Tokyo`・`Europe/London`・`UTC` のような名前を指定してください。",
  },
  "parse.invalid-user": {
    en: "`{detail}` is not a Slack user mention: type `@` and pick the person from Slack's suggestions.",
    ja: "`{detail}` は Slack のユーザーメンションではありません。`@` を入力して、Slack の候補から相手を選んでください。",
  },
  "parse.invalid-due": {
    en: "`{detail}` is not a due date. Write `due:` with `YYYY-MM-DD`, `MM-DD`, `today`, `tomorrow` or a weekday (`mon`…`sun`, `monday`…), or `今日`, `明日`, `月曜`…`日曜`; the date is the assignee's own, in their Slack time zone. Give `due:` once.",
    ja: "`{detail}` は期限として認識できません。`due:` の後に `YYYY-MM-DD`・`MM-DD`・`today`・`tomorrow`・曜日 (`mon`…`sun`、`monday`…)、または `今日`・`明日`・`月曜`…`日曜` を指定してください。日付は割り当てる相手の Slack のタイムゾーンで解釈されます。`due:` は 1 回だけ指定できます。",
  },
  "parse.invalid-weekday": {
    en: "`{detail}` is not a weekday: use `mon`…`sun`, `monday`…`sunday`, or `月曜`…`日曜`.",
    ja: "`{detail}` は曜日として認識できません。`mon`…`sun`、`monday`…`sunday`、または `月曜`…`日曜` を指定してください。",
  },
  "parse.text-too-long": {
    en: "`{detail}` is too long: at most {max} characters.",
    ja: "`{detail}` が長すぎます。{max} 文字以内にしてください。",
  },
} as const satisfies MessageTable;
