import type { MessageTable } from "../message-table.js";

/** Replies of the `digest …` subcommands and words for Slack's permanent errors. */
export const digestCommandMessages = {
  "digest-now.posted-one": {
    en: "Posted the digest in this channel: 1 article.",
    ja: "このチャンネルにダイジェストを投稿しました: 1 件の記事。",
  },
  "digest-now.posted": {
    en: "Posted the digest in this channel: {count} articles.",
    ja: "このチャンネルにダイジェストを投稿しました: {count} 件の記事。",
  },
  "digest-now.posted-overflow": {
    en: "Posted the digest in this channel: {count} articles ({overflow} more were only counted).",
    ja: "このチャンネルにダイジェストを投稿しました: {count} 件の記事 (ほか {overflow} 件は件数のみ表示)。",
  },
  "digest-now.nothing-new": {
    en: "Nothing new since the last digest ({time}), so nothing was posted.",
    ja: "前回のダイジェスト ({time}) 以降に新しい記事がないため、何も投稿しませんでした。",
  },
  "digest-now.nothing-yet": {
    en: "This channel's feeds hold no articles it has not seen, so nothing was posted.",
    ja: "このチャンネルのフィードにまだ表示していない記事がないため、何も投稿しませんでした。",
  },
  "digest-now.no-subscriptions": {
    en: "This channel has no subscriptions yet. Add one with `/opsfeed subscribe &lt;feed-url&gt;`.",
    ja: "このチャンネルにはまだ購読がありません。`/opsfeed subscribe &lt;フィードのURL&gt;` で追加できます。",
  },
  "digest-now.rate-limited": {
    en: "Slack asked opsfeed to slow down in this channel. {posted} of {parts} digest messages are posted; the rest follow {when}, on their own.",
    ja: "Slack からこのチャンネルへの投稿を控えるよう求められました。ダイジェスト {parts} 件中 {posted} 件を投稿済みです。残りは {when} に自動で投稿されます。",
  },
  "digest-now.unconfirmed": {
    en: "Slack did not confirm digest message {part} of {parts} ({error}). opsfeed will look for it in the channel and finish the digest on its own, without posting anything twice.",
    ja: "Slack からダイジェスト {parts} 件中 {part} 件目の投稿の確認がありませんでした ({error})。opsfeed がチャンネルを確認してから、二重投稿することなく自動で残りを投稿します。",
  },
  "digest-now.retrying": {
    en: "Slack refused digest message {part} of {parts} ({error}). opsfeed will try again on its own {when}; after {max} refusals in a row it sets the digest aside and says so in `/opsfeed digest`.",
    ja: "Slack がダイジェスト {parts} 件中 {part} 件目を受け付けませんでした ({error})。opsfeed が {when} に自動で再試行します。{max} 回続けて拒否された場合はダイジェストを保留にし、`/opsfeed digest` でお知らせします。",
  },
  "digest-now.busy": {
    en: "A digest for this channel is being posted right now, so nothing more was posted. `/opsfeed digest` shows how it went.",
    ja: "このチャンネルのダイジェストを現在投稿中のため、追加の投稿はしていません。結果は `/opsfeed digest` で確認できます。",
  },
  "digest-now.parked": {
    en: "The digest was set aside: Slack refused it {attempts} times in a row ({error}). Its articles stay available: the next digest, or `/opsfeed digest now`, builds a fresh one.",
    ja: "ダイジェストを保留にしました: Slack が {attempts} 回続けて拒否しました ({error})。記事はそのまま残り、次回のダイジェストか `/opsfeed digest now` で新しく作り直します。",
  },
  "digest-now.when-soon": {
    en: "in about {seconds} seconds",
    ja: "約 {seconds} 秒後",
  },
  "digest-now.when-later": {
    en: "at {time}",
    ja: "{time}",
  },
  "digest-now.failed": {
    en: "The digest could not be posted: {reason}",
    ja: "ダイジェストを投稿できませんでした: {reason}",
  },
  "slack-error.not_in_channel": {
    en: "opsfeed is not a member of this channel. Invite it with `/invite @opsfeed`, then try again.",
    ja: "opsfeed がこのチャンネルのメンバーではありません。`/invite @opsfeed` で招待してから、もう一度お試しください。",
  },
  "slack-error.channel_not_found": {
    en: "Slack cannot find this channel for opsfeed (it may be private: invite opsfeed with `/invite @opsfeed`).",
    ja: "Slack がこのチャンネルを opsfeed に見せていません (プライベートチャンネルの場合は `/invite @opsfeed` で招待してください)。",
  },
  "slack-error.is_archived": {
    en: "This channel is archived, so opsfeed cannot post in it.",
    ja: "このチャンネルはアーカイブされているため、opsfeed は投稿できません。",
  },
  "slack-error.other": {
    en: "Slack refused the message ({error}).",
    ja: "Slack がメッセージを受け付けませんでした ({error})。",
  },
  "schedule.show": {
    en: "Digest: {time} on {days} ({zone}). Next: {next}.",
    ja: "ダイジェスト: {days}の {time} ({zone})。次回: {next}。",
  },
  "schedule.set": {
    en: "Digest scheduled at {time} on {days} ({zone}). Next: {next}.",
    ja: "ダイジェストを{days}の {time} ({zone}) に設定しました。次回: {next}。",
  },
  "schedule.off": {
    en: "The scheduled digest is off (it was {time} on {days}, {zone}). `/opsfeed digest now` still works; `/opsfeed digest at HH:MM` turns it back on.",
    ja: "定期ダイジェストは停止中です (設定は{days}の {time}、{zone})。`/opsfeed digest now` は引き続き使えます。`/opsfeed digest at HH:MM` で再開できます。",
  },
  "schedule.turned-off": {
    en: "Turned off this channel's scheduled digest. `/opsfeed digest now` still works; `/opsfeed digest at HH:MM` turns it back on.",
    ja: "このチャンネルの定期ダイジェストを停止しました。`/opsfeed digest now` は引き続き使えます。`/opsfeed digest at HH:MM` で再開できます。",
  },
  "schedule.none": {
    en: "This channel has no digest schedule yet. Subscribe to a feed (it sets 09:00 on weekdays), or set one with `/opsfeed digest at HH:MM`.",
    ja: "このチャンネルにはまだダイジェストの予定がありません。フィードを購読する (平日 09:00 に設定されます) か、`/opsfeed digest at HH:MM` で設定してください。",
  },
  "schedule.last": {
    en: "Last digest: {time}.",
    ja: "前回のダイジェスト: {time}。",
  },
  "schedule.never": {
    en: "No digest has been posted here yet.",
    ja: "このチャンネルにはまだダイジェストを投稿していません。",
  },
  "schedule.last-parked": {
    en: ":warning: The last digest was set aside after Slack refused it the same way several times ({error}). Its articles stay available for the next digest.",
    ja: ":warning: 前回のダイジェストは Slack に同じ理由で何度も拒否されたため保留にしました ({error})。記事は次回のダイジェストに含まれます。",
  },
  "schedule.last-error": {
    en: ":warning: The last digest could not be posted: {reason}",
    ja: ":warning: 前回のダイジェストは投稿できませんでした: {reason}",
  },
} as const satisfies MessageTable;
