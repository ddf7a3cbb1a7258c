import type { MessageTable } from "../message-table.js";

/** Saving links from anywhere: pages without a title, reactions, message shortcuts. */
export const savedLinkMessages = {
  "links.no-title.read": {
    en: "The page has no title, so it is saved under its URL.",
    ja: "ページにタイトルがないため、URL のまま保存しました。",
  },
  "links.no-title.unreadable": {
    en: "opsfeed could not read the page ({reason}), so it is saved under its URL, without a title.",
    ja: "ページを読み込めなかったため（{reason}）、タイトルなしで URL のまま保存しました。",
  },
  "links.reason.blocked-address": {
    en: "`{host}` points to {address}, a private network address opsfeed does not fetch",
    ja: "`{host}` の接続先 {address} はプライベートネットワークのアドレスで、opsfeed は取得しません",
  },
  "links.reason.http-status": {
    en: "the server answered HTTP {status}",
    ja: "サーバーが HTTP {status} を返しました",
  },
  "links.reason.timeout": {
    en: "the server did not answer within {seconds} seconds",
    ja: "サーバーが {seconds} 秒以内に応答しませんでした",
  },
  "links.reason.not-html": {
    en: "it is not a web page but `{type}`",
    ja: "Web ページではなく `{type}` です",
  },
  "links.reason.dns-failure": {
    en: "the server `{host}` was not found",
    ja: "サーバー `{host}` が見つかりませんでした",
  },
  "links.reason.too-many-redirects": {
    en: "it redirected more than {max} times",
    ja: "{max} 回を超えてリダイレクトされました",
  },
  "links.reason.other": {
    en: "a network problem: {code}",
    ja: "ネットワークの問題: {code}",
  },
  "links.saved.heading": {
    en: "Saved {count} to your read-later queue (`/opsfeed later` shows it):",
    ja: "{count} 件を「あとで読む」に追加しました（`/opsfeed later` で確認できます）:",
  },
  "links.saved.nothing-new": {
    en: "These are all in your read-later queue already:",
    ja: "これらはすべて「あとで読む」に入っています:",
  },
  "links.saved.already": {
    en: "(already in your queue)",
    ja: "（追加済み）",
  },
  "links.saved.skipped": {
    en: "Only the first {max} links of the message were saved; {count} more were left out.",
    ja: "メッセージのリンクは最初の {max} 件だけ保存しました（残り {count} 件は保存していません）。",
  },
  "links.unsaved": {
    en: "You removed the reaction, so {articles} left your read-later queue.",
    ja: "リアクションを外したため、{articles} を「あとで読む」から外しました。",
  },
  "links.choose.save": {
    en: "This digest message carries {count} articles. Which do you want to read later?",
    ja: "このダイジェストには {count} 件の記事があります。どれを「あとで読む」に追加しますか？",
  },
  "links.choose.done": {
    en: "This digest message carries {count} articles. Which have you read?",
    ja: "このダイジェストには {count} 件の記事があります。どれを既読にしますか？",
  },
  "links.no-links.save": {
    en: "This message has no link to save. Use the shortcut on a message with a link in it.",
    ja: "このメッセージには保存できるリンクがありません。リンクを含むメッセージで使ってください。",
  },
  "links.no-links.assign": {
    en: "This message has no link to assign. Use the shortcut on a message with a link in it.",
    ja: "このメッセージには割り当てられるリンクがありません。リンクを含むメッセージで使ってください。",
  },
  "links.loading": {
    en: "Reading the page at {url}…",
    ja: "{url} を読み込んでいます…",
  },
  "links.message-unreadable": {
    en: "opsfeed could not read that message (Slack said `{error}`). If opsfeed is not in this channel yet, invite it with `/invite @opsfeed`.",
    ja: "メッセージを読み取れませんでした（Slack の応答: `{error}`）。opsfeed がこのチャンネルにいない場合は `/invite @opsfeed` で招待してください。",
  },
} as const satisfies MessageTable;
