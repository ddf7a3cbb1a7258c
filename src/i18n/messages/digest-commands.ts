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
  "digest-now.failed-temporarily": {
    en: "Slack did not accept the digest this time ({error}). opsfeed will try again on its own; nothing will be posted twice.",
    ja: "今回は Slack がダイジェストを受け付けませんでした ({error})。opsfeed が自動で再試行します。二重に投稿されることはありません。",
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
  "schedule.last-error": {
    en: ":warning: The last digest could not be posted: {reason}",
    ja: ":warning: 前回のダイジェストは投稿できませんでした: {reason}",
  },
} as const satisfies MessageTable;
