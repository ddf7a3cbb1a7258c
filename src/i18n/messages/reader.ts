import type { MessageTable } from "../message-table.js";

/** The reader: one article of the read-later queue at a time, in a modal. */
export const readerMessages = {
  "reader.title": { en: "Read later", ja: "あとで読む" },
  "reader.close": { en: "Close", ja: "閉じる" },
  "reader.open-button": { en: "📖 Read", ja: "📖 1 件ずつ読む" },
  "reader.previous": { en: "← Previous", ja: "← 前へ" },
  "reader.next": { en: "Next →", ja: "次へ →" },
  "reader.link": { en: "Open ↗", ja: "開く ↗" },
  "reader.position": { en: "{position} / {total}", ja: "{position} / {total} 件" },
  "reader.saved-at": { en: "saved {time}", ja: "{time} に保存" },
  "reader.empty": {
    en: "🎉 All read: your read-later queue is empty. Save articles with *Read later* under a digest, `/opsfeed later &lt;article&gt;` or the 🔖 reaction.",
    ja: "🎉 すべて読み終えました。「あとで読む」リストは空です。ダイジェストの *あとで読む* ボタン、`/opsfeed later &lt;article&gt;`、🔖 リアクションで記事を保存できます。",
  },
  "reader.bad-state": {
    en: "This reader was not opened by you, or opsfeed cannot read its state. Open your own with *Read* in App Home or `/opsfeed later`.",
    ja: "このリーダーはあなたが開いたものではないか、状態を読み取れません。App ホームか `/opsfeed later` の *1 件ずつ読む* から開き直してください。",
  },
} as const satisfies MessageTable;
