import type { MessageTable } from "../message-table.js";

/** Refusals at the channel boundaries, and answers to values opsfeed did not make. */
export const accessMessages = {
  "access.private-channel": {
    en: "This is a private channel you are not a member of, so opsfeed does nothing here for you. Nothing was changed.",
    ja: "ここはあなたがメンバーではないプライベートチャンネルのため、opsfeed は何もしません。何も変更していません。",
  },
  "access.channel-unseen": {
    en: "opsfeed cannot see this channel, so it does nothing here. Invite it with `/invite @opsfeed`, then try again. Nothing was changed.",
    ja: "opsfeed はこのチャンネルを参照できないため、何もしません。`/invite @opsfeed` で招待してからもう一度お試しください。何も変更していません。",
  },
  "access.cannot-check": {
    en: "Slack did not say who may see this channel ({error}), so opsfeed did nothing. Please try again in a moment.",
    ja: "このチャンネルを誰が見られるか Slack から確認できなかったため ({error})、何もしませんでした。少し待ってからもう一度お試しください。",
  },
  "reading.assignment-taken": {
    en: "<@{assignee}> already has this article from <@{assigner}>. Only <@{assigner}> or <@{assignee}> can change or cancel that assignment; ask them. Nothing was changed.",
    ja: "この記事はすでに <@{assigner}> さんから <@{assignee}> さんに割り当てられています。変更や取り消しができるのは <@{assigner}> さんか <@{assignee}> さんだけです。何も変更していません。",
  },
  "reading.assignment-changed-by-you": {
    en: "Updated your assignment of {article}; <@{assigner}>, who assigned it, got a direct message.",
    ja: "あなたへの {article} の割り当てを更新しました。割り当てた <@{assigner}> さんにダイレクトメッセージを送りました。",
  },
  "queue.notice.changed-by-assignee": {
    en: "{user} changed the assignment of {article} you gave them.",
    ja: "{user} さんが、あなたが割り当てた {article} の内容を変更しました。",
  },
  "payload.bad-value": {
    en: "This button carries a value opsfeed did not make ({value}), so nothing was done. Use the buttons of a recent opsfeed message.",
    ja: "このボタンには opsfeed が作っていない値 ({value}) が入っているため、何もしませんでした。最近の opsfeed のメッセージのボタンを使ってください。",
  },
  "payload.bad-modal": {
    en: "This form was not made by opsfeed for you (or it is too old), so nothing was done. Open it again from the article's button.",
    ja: "このフォームは opsfeed があなたのために作ったものではない (または古い) ため、何もしませんでした。記事のボタンからもう一度開いてください。",
  },
  "payload.bad-date": {
    en: "{date} is not a date. Pick one in the date picker (YYYY-MM-DD).",
    ja: "{date} は日付ではありません。日付ピッカーで選んでください (YYYY-MM-DD)。",
  },
} as const satisfies MessageTable;
