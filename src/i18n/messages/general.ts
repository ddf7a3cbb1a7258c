import type { MessageTable } from "../message-table.js";

/** Strings that belong to no single feature. */
export const generalMessages = {
  "error.internal": {
    en: "Something went wrong on opsfeed's side. It has been logged (id `{errorId}`); please try again.",
    ja: "opsfeed 側で問題が発生しました。ログに記録しました (id `{errorId}`)。もう一度お試しください。",
  },
  "request.replayed": {
    en: "This request was already carried out (Slack delivered it twice), so nothing was done again.",
    ja: "このリクエストはすでに処理済みです (Slack から二重に届きました)。もう一度実行はしていません。",
  },
} as const satisfies MessageTable;
