import type { MessageTable } from "../message-table.js";

/**
 * The reading queue: read later, assignments, comments, App Home and modals. Button labels
 * shared with the digest (Read later, Assign, Comment, Done) stay under `digest.button.*`.
 * `&lt;…&gt;` is how a literal `<…>` is written in Slack mrkdwn.
 */
export const queueMessages = {
  // The read-later queue (`/opsfeed later`).
  "queue.heading": {
    en: "Your read-later queue ({count})",
    ja: "「あとで読む」リスト ({count} 件)",
  },
  "queue.empty": {
    en: "Your read-later queue is empty. Save an article with `/opsfeed later &lt;article&gt;` or the *{button}* button under a digest article.",
    ja: "「あとで読む」リストは空です。`/opsfeed later &lt;article&gt;` か、ダイジェストの記事の *{button}* ボタンで追加できます。",
  },
  "queue.page-empty": {
    en: "There is nothing on this page of your queue any more.",
    ja: "このページにはもう記事がありません。",
  },
  "queue.saved-at": {
    en: "saved {time}",
    ja: "{time} に保存",
  },
  "queue.range": {
    en: "{from}–{to} of {total}",
    ja: "{total} 件中 {from}–{to} 件目",
  },
  "queue.button.previous": { en: "← Previous", ja: "← 前へ" },
  "queue.button.next": { en: "Next →", ja: "次へ →" },
  "queue.more": { en: "…and {count} more", ja: "…ほか {count} 件" },

  // Assignments (`/opsfeed assigned`).
  "queue.assigned.to-me.heading": {
    en: "Assigned to you ({count})",
    ja: "あなたへの割り当て ({count} 件)",
  },
  "queue.assigned.by-me.heading": {
    en: "You assigned ({count})",
    ja: "あなたが割り当てた記事 ({count} 件)",
  },
  "queue.assigned.to-me.empty": {
    en: "Nothing is assigned to you. 🎉",
    ja: "あなたに割り当てられた記事はありません。🎉",
  },
  "queue.assigned.by-me.empty": {
    en: "Nothing you assigned is still open. Hand an article to a teammate with its *{button}* button or `/opsfeed assign &lt;@user&gt; &lt;article&gt; [note]`.",
    ja: "あなたが割り当てて未完了の記事はありません。記事の *{button}* ボタンか `/opsfeed assign &lt;@user&gt; &lt;article&gt; [note]` でチームメイトに割り当てられます。",
  },
  "queue.assigned.fallback": {
    en: "Assigned to you: {toMe} · You assigned: {byMe}",
    ja: "あなたへの割り当て: {toMe} 件 · あなたが割り当てた記事: {byMe} 件",
  },
  "queue.assigned.from": { en: "from {user}", ja: "{user} さんから" },
  "queue.assigned.to": { en: "to {user}", ja: "{user} さんへ" },
  "queue.due": { en: "📅 due {date}", ja: "📅 期限 {date}" },
  "queue.due-today": { en: "⏰ due today", ja: "⏰ 今日が期限" },
  "queue.overdue": { en: "⚠️ overdue (due {date})", ja: "⚠️ 期限切れ (期限 {date})" },
  // Due-date reminders.
  "queue.reminder.due-today": {
    en: "⏰ *Reminder:* this is due today ({date}).",
    ja: "⏰ *リマインダー:* 今日 ({date}) が期限です。",
  },
  "queue.reminder.overdue": {
    en: "⚠️ *Reminder:* this was due {date} and is still open.",
    ja: "⚠️ *リマインダー:* 期限 ({date}) を過ぎましたが、まだ完了していません。",
  },
  "queue.reminder.fallback": {
    en: "Reminder: #{id} {title} is due {date}",
    ja: "リマインダー: #{id} {title} の期限は {date} です",
  },
  "queue.reminder.snooze": { en: "Snooze 1 day", ja: "1 日延期" },
  "queue.reminder.hint": {
    en: "Done when you have read it; Snooze moves the due date a day, and you are reminded again at 09:00.",
    ja: "読み終えたら「既読にする」を。「1 日延期」で期限が 1 日延び、9:00 にもう一度お知らせします。",
  },
  "queue.reminder.hint-last": {
    en: "This is the last reminder. Snooze moves the due date a day and reminds you again.",
    ja: "これが最後のリマインダーです。「1 日延期」で期限が 1 日延び、もう一度お知らせします。",
  },
  "queue.reminder.done": {
    en: "✅ Marked {article} as read; the assignment is complete.",
    ja: "✅ {article} を既読にし、割り当てを完了しました。",
  },
  "queue.reminder.snoozed": {
    en: "😴 Snoozed {article}: now due {date}; you will be reminded at 09:00 your time.",
    ja: "😴 {article} を延期しました。新しい期限は {date} です。あなたの 9:00 にお知らせします。",
  },
  "queue.reminder.snoozed-already": {
    en: "{article} was already moved: it is due {date}.",
    ja: "{article} はすでに延期済みです。期限は {date} です。",
  },
  "queue.cancel.button": { en: "Cancel", ja: "キャンセル" },
  "queue.cancel.confirm-title": {
    en: "Cancel this assignment?",
    ja: "割り当てをキャンセルしますか?",
  },
  "queue.cancel.confirm-text": {
    en: "{user} will be told that you cancelled the assignment of #{id}.",
    ja: "#{id} の割り当てをキャンセルしたことが {user} さんに通知されます。",
  },
  "queue.cancel.confirm": { en: "Cancel assignment", ja: "キャンセルする" },
  "queue.cancel.deny": { en: "Keep it", ja: "そのままにする" },

  // Comments (`/opsfeed comments`, and the digest thread).
  "queue.comments.heading": {
    en: "💬 Comments on {article} ({count})",
    ja: "💬 {article} へのコメント ({count} 件)",
  },
  "queue.comments.empty": {
    en: "No comments yet — add one with `/opsfeed comment {id} &lt;text&gt;`.",
    ja: "まだコメントはありません。`/opsfeed comment {id} &lt;text&gt;` でコメントできます。",
  },
  "queue.comments.hidden.one": {
    en: "{count} earlier comment not shown",
    ja: "以前のコメント {count} 件は表示していません",
  },
  "queue.comments.hidden.other": {
    en: "{count} earlier comments not shown",
    ja: "以前のコメント {count} 件は表示していません",
  },
  "queue.comment.in-thread": {
    en: "{user} commented:",
    ja: "{user} さんのコメント:",
  },

  // Direct messages and notices about assignments.
  "queue.dm.assigned": {
    en: "{user} assigned you an article:",
    ja: "{user} さんから記事が割り当てられました:",
  },
  "queue.dm.fallback": {
    en: "{user} assigned you #{id} {title}",
    ja: "{user} さんから #{id} {title} が割り当てられました",
  },
  "queue.dm.hint": {
    en: "*{done}* marks it read and tells {user}; *{readLater}* saves it to your queue.",
    ja: "*{done}* を押すと {user} さんに完了が伝わります。*{readLater}* で「あとで読む」リストに保存できます。",
  },
  "queue.notice.done": {
    en: "✅ {user} finished reading {article}, which you assigned.",
    ja: "✅ {user} さんが、あなたが割り当てた {article} を読み終えました。",
  },
  "queue.notice.cancelled-by-assigner": {
    en: "{user} cancelled the assignment of {article} to you.",
    ja: "{user} さんが、あなたへの {article} の割り当てをキャンセルしました。",
  },
  "queue.notice.cancelled-by-assignee": {
    en: "{user} cancelled the assignment of {article}, which you had assigned to them.",
    ja: "{user} さんが、あなたから割り当てられた {article} の割り当てをキャンセルしました。",
  },
  "queue.notice.cancelled-by-other": {
    en: "{user} cancelled the assignment of {article} to {assignee}.",
    ja: "{user} さんが、{assignee} さんへの {article} の割り当てをキャンセルしました。",
  },

  // Modals. Titles, submit and close labels must stay within Slack's 24 characters.
  "queue.modal.close": { en: "Cancel", ja: "キャンセル" },
  "queue.modal.assign.title": { en: "Assign article", ja: "記事を割り当て" },
  "queue.modal.assign.submit": { en: "Assign", ja: "割り当てる" },
  "queue.modal.assign.assignee-label": { en: "Assign to", ja: "割り当てる相手" },
  "queue.modal.assign.assignee-placeholder": {
    en: "Choose a teammate",
    ja: "チームメイトを選択",
  },
  "queue.modal.assign.note-label": { en: "Note", ja: "メモ" },
  "queue.modal.assign.note-placeholder": {
    en: "Why should they read it?",
    ja: "読んでほしい理由など",
  },
  "queue.modal.assign.due-label": { en: "Due date", ja: "期限" },
  "queue.modal.assign.due-placeholder": { en: "No due date", ja: "期限なし" },
  "queue.modal.assign.hint": {
    en: "They get a direct message with the article and your note.",
    ja: "相手には記事とメモがダイレクトメッセージで届きます。",
  },
  "queue.modal.comment.title": { en: "Comment", ja: "コメント" },
  "queue.modal.comment.submit": { en: "Post", ja: "投稿する" },
  "queue.modal.comment.label": { en: "Your comment", ja: "コメント" },
  "queue.modal.comment.placeholder": {
    en: "What did you think?",
    ja: "感想や補足をどうぞ",
  },
  "queue.modal.comment.hint": {
    en: "Your teammates see it with /opsfeed comments, and in the digest's thread where there is one.",
    ja: "チームメイトは /opsfeed comments で読めます。ダイジェストのスレッドがあればそこにも投稿されます。",
  },

  // App Home.
  "queue.home.header": { en: "📚 Your reading", ja: "📚 あなたの読書リスト" },
  "queue.home.queue-more": {
    en: "…and {count} more. `/opsfeed later` lists them all.",
    ja: "…ほか {count} 件。`/opsfeed later` ですべて表示できます。",
  },
  "queue.home.assigned-more": {
    en: "…and {count} more. `/opsfeed assigned` lists them all.",
    ja: "…ほか {count} 件。`/opsfeed assigned` ですべて表示できます。",
  },
  "queue.home.how-to": {
    en: "*How to use:* save an article with its *{readLater}* button or `/opsfeed later &lt;article&gt;`, mark it read with *{done}*, and hand it to a teammate with *{assign}*. `/opsfeed help` lists every command.",
    ja: "*使い方:* 記事の *{readLater}* ボタンか `/opsfeed later &lt;article&gt;` で保存し、*{done}* で既読にします。*{assign}* でチームメイトに割り当てられます。`/opsfeed help` ですべてのコマンドを表示します。",
  },
} as const satisfies MessageTable;
