import type { MessageTable } from "../message-table.js";

/** Replies to what users do with articles: save, done, assign, comment. */
export const readingMessages = {
  "reading.article-not-found": {
    en: "There is no article {article} that you can see. Use the number shown beside an article in a digest or a list you can read (like `42`), or the article's URL.",
    ja: "あなたが参照できる記事 {article} はありません。参照できるダイジェストや一覧で記事の横に表示される番号 (例: `42`) か、記事の URL を指定してください。",
  },
  "reading.saved": {
    en: "Saved {article} to your read-later queue. `/opsfeed later` shows it.",
    ja: "{article} を「あとで読む」に追加しました。`/opsfeed later` で確認できます。",
  },
  "reading.already-saved": {
    en: "{article} is already in your read-later queue.",
    ja: "{article} はすでに「あとで読む」に入っています。",
  },
  "reading.done": {
    en: "Marked {article} as read.",
    ja: "{article} を既読にしました。",
  },
  "reading.done-assignment": {
    en: "Marked {article} as read and completed the assignment from <@{assigner}>, who has been told.",
    ja: "{article} を既読にし、<@{assigner}> さんからの割り当てを完了しました (相手にも通知しました)。",
  },
  "reading.assigned": {
    en: "Assigned {article} to <@{assignee}>; they got a direct message.",
    ja: "{article} を <@{assignee}> さんに割り当てました。相手にダイレクトメッセージを送りました。",
  },
  "reading.assignment-updated": {
    en: "<@{assignee}> already had {article}; the assignment was updated and they got a direct message.",
    ja: "{article} はすでに <@{assignee}> さんに割り当て済みのため、内容を更新してダイレクトメッセージを送りました。",
  },
  "reading.assigned-due-zone": {
    en: "📅 due {date} (their date, in their time zone {zone}); they are reminded at 09:00 their time on the due day.",
    ja: "📅 期限 {date} (相手のタイムゾーン {zone} での日付)。期限の日の相手の 9:00 にリマインダーが届きます。",
  },
  "reading.dm-pending": {
    en: "Slack has not taken the direct message yet; opsfeed will send it on its own as soon as it can.",
    ja: "Slack がまだダイレクトメッセージを受け付けていません。受け付けられ次第、opsfeed が自動で送ります。",
  },
  "reading.assignee-is-bot": {
    en: "<@{assignee}> is a bot. Articles can only be assigned to people.",
    ja: "<@{assignee}> はボットです。記事はメンバーにのみ割り当てられます。",
  },
  "reading.assignee-unknown": {
    en: "Slack does not know the user {assignee}, or their account is deactivated. Pick the person from Slack's @-suggestions.",
    ja: "Slack でユーザー {assignee} が見つからないか、アカウントが無効になっています。`@` を入力して Slack の候補から選んでください。",
  },
  "reading.due-in-past": {
    en: "The due date {date} is in the past. Pick today or a later day, or leave it empty.",
    ja: "期限 {date} は過去の日付です。今日以降の日付を選ぶか、空欄にしてください。",
  },
  "reading.note-too-long": {
    en: "The note is {length} characters long; the most is {max}.",
    ja: "メモが {length} 文字あります。{max} 文字以内にしてください。",
  },
  "reading.comment-empty": {
    en: "The comment is empty. Write something to say about the article.",
    ja: "コメントが空です。記事についてのコメントを入力してください。",
  },
  "reading.comment-too-long": {
    en: "The comment is {length} characters long; the most is {max}.",
    ja: "コメントが {length} 文字あります。{max} 文字以内にしてください。",
  },
  "reading.commented": {
    en: "Your comment on {article} was saved.",
    ja: "{article} へのコメントを保存しました。",
  },
  "reading.commented-in-thread": {
    en: "Your comment on {article} was saved and posted in the digest's thread.",
    ja: "{article} へのコメントを保存し、ダイジェストのスレッドにも投稿しました。",
  },
  "reading.assignment-not-open": {
    en: "That assignment is already done or cancelled.",
    ja: "その割り当てはすでに完了またはキャンセルされています。",
  },
  "reading.assignment-not-yours": {
    en: "Only the person who assigned the article, or the person it is assigned to, can cancel the assignment.",
    ja: "割り当てをキャンセルできるのは、割り当てた人か割り当てられた人だけです。",
  },
  "reading.assignment-cancelled": {
    en: "Cancelled the assignment of {article} to <@{assignee}>.",
    ja: "<@{assignee}> さんへの {article} の割り当てをキャンセルしました。",
  },
} as const satisfies MessageTable;
