import type { MessageTable } from "../message-table.js";

/**
 * Finding and explaining (issue 13): Hatena shortcuts, `preview` in Slack, `why` and the
 * Hatena Bookmark comments. Slack mrkdwn: a literal `<` or `>` is written `&lt;` / `&gt;`.
 */
export const explainMessages = {
  "usage.hatena-shortcuts": {
    en: "instead of a feed URL, `hatena:hot:&lt;category&gt;` follows Hatena Bookmark's hot entries (`all`, `general`, `social`, `economics`, `life`, `knowledge`, `it`, `fun`, `entertainment`, `game`) and `hatena:search:&lt;words&gt;` its keyword search (words joined by `,` or `+`), e.g. `hatena:search:障害 min:50`",
    ja: "フィード URL の代わりに `hatena:hot:&lt;カテゴリ&gt;` ではてなブックマークの人気エントリー (`all`・`general`・`social`・`economics`・`life`・`knowledge`・`it`・`fun`・`entertainment`・`game`)、`hatena:search:&lt;語&gt;` でキーワード検索 (語は `,` か `+` でつなぎます) を購読できます。例: `hatena:search:障害 min:50`",
  },
  "usage.preview": {
    en: "show what `subscribe` with these filters would deliver now, and how many articles each filter drops; nothing is stored",
    ja: "このフィルタで `subscribe` したら今どの記事が届くか、各フィルタで何件除外されるかを表示します (何も保存しません)",
  },
  "usage.why": {
    en: "explain what became of an article in this channel: which subscriptions carry it, which filter dropped it, the digest it was posted in, or whether it waits for the next one",
    ja: "このチャンネルで記事がどうなったかを説明します: どの購読が運んだか、どのフィルタで除外されたか、どのダイジェストに載ったか、次のダイジェストを待っているか",
  },
  "usage.hatena": {
    en: "show the article's public Hatena Bookmark comments, newest first",
    ja: "記事に付いたはてなブックマークの公開コメントを新しい順に表示します",
  },
  "parse.invalid-hatena-category": {
    en: "`{detail}` is not a Hatena hot-entry category. Use `hatena:hot:` with one of `all`, `general`, `social`, `economics`, `life`, `knowledge`, `it`, `fun`, `entertainment`, `game`.",
    ja: "`{detail}` ははてなブックマークの人気エントリーのカテゴリではありません。`hatena:hot:` に続けて `all`・`general`・`social`・`economics`・`life`・`knowledge`・`it`・`fun`・`entertainment`・`game` のどれかを指定してください。",
  },
  "parse.invalid-hatena-search": {
    en: "`{detail}` has no words to search for: use `hatena:search:word` (several words joined by `,` or `+`).",
    ja: "`{detail}` には検索する語がありません。`hatena:search:語` の形で指定してください (複数の語は `,` か `+` でつなぎます)。",
  },

  // `/opsfeed preview`
  "preview.heading": {
    en: "*Preview of <{url}|{title}>* ({format}): {count} articles, *{matching}* pass the filters. Nothing was stored.",
    ja: "*<{url}|{title}> のプレビュー* ({format}): 記事 {count} 件のうち *{matching}* 件がフィルタを通ります。何も保存していません。",
  },
  "preview.no-filters": {
    en: "No filters: every article would be delivered.",
    ja: "フィルタなし: すべての記事が届きます。",
  },
  "preview.dropped": {
    en: "Dropped by `{filters}`: `include:` {include}, `exclude:` {exclude}, `min:` {min} (each article counted under the first filter that drops it, in that order: `min:`, `include:`, `exclude:`).",
    ja: "`{filters}` で除外: `include:` {include} 件、`exclude:` {exclude} 件、`min:` {min} 件 (記事は `min:`・`include:`・`exclude:` の順で最初に除外したフィルタに数えます)。",
  },
  "preview.none-match": {
    en: "No article of the feed passes these filters right now.",
    ja: "今このフィルタを通る記事はありません。",
  },
  "preview.bookmarks": {
    en: "{count} users",
    ja: "{count} users",
  },
  "preview.more": {
    en: "… and {count} more.",
    ja: "… ほか {count} 件。",
  },

  // `/opsfeed why`
  "why.url-never-seen": {
    en: "opsfeed has never seen {url}: no feed of any channel you can read carried it, and nobody saved, assigned or commented on it where you can see. `/opsfeed later {url}` saves it.",
    ja: "opsfeed は {url} をまだ見たことがありません。あなたが参照できるチャンネルのフィードに載ったことも、保存・割り当て・コメントされたこともありません。`/opsfeed later {url}` で保存できます。",
  },
  "why.heading": {
    en: "*What became of {article} in this channel*",
    ja: "*このチャンネルでの {article} の扱い*",
  },
  "why.digest-posted": {
    en: "It was posted in this channel's digest of {date}.",
    ja: "{date} のこのチャンネルのダイジェストに載りました。",
  },
  "why.digest-posted-link": {
    en: "It was posted in this channel's digest of {date}: <{permalink}|open the message>.",
    ja: "{date} のこのチャンネルのダイジェストに載りました: <{permalink}|メッセージを開く>。",
  },
  "why.digest-posting": {
    en: "It is in this channel's digest that is being posted now (started {date}).",
    ja: "今投稿中のこのチャンネルのダイジェスト ({date} 開始) に含まれています。",
  },
  "why.realtime": {
    en: "It was posted in this channel as soon as it appeared, by a realtime subscription, at {date}.",
    ja: "リアルタイム購読により、{date} にこのチャンネルへ個別に投稿されました。",
  },
  "why.waiting": {
    en: "It is new and waits for the next digest, due {date}.",
    ja: "新着記事で、次のダイジェスト ({date} 予定) を待っています。",
  },
  "why.waiting-digest-off": {
    en: "It is new and waits for the next digest, but this channel's digest is off: `/opsfeed digest now` posts it, `/opsfeed digest at HH:MM` schedules one.",
    ja: "新着記事で次のダイジェストを待っていますが、このチャンネルのダイジェストは停止中です。`/opsfeed digest now` で今すぐ投稿、`/opsfeed digest at HH:MM` で予定を設定できます。",
  },
  "why.left-out": {
    en: "It passes the filters, but it was already there when the digest of {date} was put together and that digest did not show it: a digest shows the {max} best articles (most bookmarked, then newest) and counts the rest in its closing line.",
    ja: "フィルタは通りますが、{date} のダイジェストの作成時にはすでにあり、そのダイジェストには載りませんでした。ダイジェストには上位 {max} 件 (ブックマーク数順、次に新しい順) だけが載り、残りは最後の行で件数だけ示されます。",
  },
  "why.filtered": {
    en: "It was not posted: every subscription of this channel that carries it drops it with its filters.",
    ja: "投稿されていません。この記事を運ぶこのチャンネルの購読は、どれもフィルタで除外しています。",
  },
  "why.not-carried": {
    en: "No subscription of this channel carries it, so no digest here will show it.",
    ja: "このチャンネルの購読はどれもこの記事を運んでいないため、ここのダイジェストには載りません。",
  },
  "why.reached.save": {
    en: "It reached this channel when someone saved a message's link here, {date}.",
    ja: "{date} に、このチャンネルのメッセージのリンクが保存されたことでこのチャンネルに届きました。",
  },
  "why.reached.comment": {
    en: "It reached this channel through a comment made here, {date}.",
    ja: "{date} に、このチャンネルでのコメントによってこのチャンネルに届きました。",
  },
  "why.reached.other": {
    en: "It reached this channel before ({via}), {date}, through a subscription since removed.",
    ja: "{date} に ({via}) このチャンネルへ届きました。その購読はすでに解除されています。",
  },
  "why.carrier": {
    en: "• Subscription {id}, <{url}|{title}>: {verdict}",
    ja: "• 購読 {id} <{url}|{title}>: {verdict}",
  },
  "why.verdict.no-filters": {
    en: "carries it (no filters)",
    ja: "この記事を運んでいます (フィルタなし)",
  },
  "why.verdict.passes": {
    en: "carries it, and it passes `{filters}`",
    ja: "この記事を運んでおり、`{filters}` を通ります",
  },
  "why.verdict.include": {
    en: "dropped by `include:`: none of {words} is in its title or summary",
    ja: "`include:` で除外: タイトルにも概要にも {words} のどれも含まれていません",
  },
  "why.verdict.exclude": {
    en: "dropped by `exclude:`: its title or summary contains `{word}`",
    ja: "`exclude:` で除外: タイトルか概要に `{word}` が含まれています",
  },
  "why.verdict.min": {
    en: "dropped by `min:{min}`: it has {count} bookmarks, fewer than {min}",
    ja: "`min:{min}` で除外: ブックマークが {count} 件で、{min} 件に足りません",
  },
  "why.feed-failing": {
    en: ":warning: Its feed <{url}|{title}> is failing since {since} (fetches failed in a row: {failures}): {error}",
    ja: ":warning: フィード <{url}|{title}> は {since} から取得に失敗しています (連続 {failures} 回): {error}",
  },

  // `/opsfeed hatena` and the Hatena comments button
  "hatena.button": { en: "Hatena comments", ja: "はてなのコメント" },
  "hatena.heading": {
    en: "*Hatena Bookmark comments on {article}*: {bookmarks} bookmarks, {comments} with a comment, newest first.",
    ja: "*{article} へのはてなブックマークのコメント*: ブックマーク {bookmarks} 件、うちコメント付き {comments} 件 (新しい順)。",
  },
  "hatena.item": {
    en: "*{user}*{tags} · {date}\n{comment}",
    ja: "*{user}*{tags} · {date}\n{comment}",
  },
  "hatena.more": {
    en: "… {count} more on <{url}|Hatena Bookmark>.",
    ja: "… ほか {count} 件は<{url}|はてなブックマーク>で読めます。",
  },
  "hatena.none": {
    en: "No public comments on {article} on Hatena Bookmark yet ({bookmarks} bookmarks without a comment). <{url}|Open it on Hatena Bookmark>.",
    ja: "{article} には、はてなブックマークの公開コメントがまだありません (コメントなしのブックマーク {bookmarks} 件)。<{url}|はてなブックマークで開く>。",
  },
  "hatena.no-entry": {
    en: "Nobody has bookmarked {article} on Hatena Bookmark yet, so there are no comments.",
    ja: "{article} はまだはてなブックマークでブックマークされていないため、コメントはありません。",
  },
  "hatena.server-error": {
    en: "Hatena Bookmark is having trouble (it answered HTTP {status}). Please try again later.",
    ja: "はてなブックマークで障害が起きているようです (HTTP {status} が返りました)。しばらくしてからもう一度お試しください。",
  },
  "hatena.refused": {
    en: "Hatena Bookmark refused the request (HTTP {status}). Please try again later.",
    ja: "はてなブックマークがリクエストを拒否しました (HTTP {status})。しばらくしてからもう一度お試しください。",
  },
  "hatena.timeout": {
    en: "Hatena Bookmark did not answer within {seconds} seconds. Please try again later.",
    ja: "はてなブックマークが {seconds} 秒以内に応答しませんでした。しばらくしてからもう一度お試しください。",
  },
  "hatena.unreachable": {
    en: "Couldn't reach Hatena Bookmark at `{host}`. Please try again later.",
    ja: "はてなブックマーク (`{host}`) に接続できませんでした。しばらくしてからもう一度お試しください。",
  },
  "hatena.too-large": {
    en: "Hatena Bookmark's answer was larger than {megabytes} MB, too much to show here. Open the comments on Hatena Bookmark instead.",
    ja: "はてなブックマークの応答が {megabytes} MB を超えていて、ここには表示できません。はてなブックマークで直接コメントを開いてください。",
  },
  "hatena.invalid-answer": {
    en: "Hatena Bookmark's answer could not be read (it was not the JSON its entry API sends). Please try again later.",
    ja: "はてなブックマークの応答を読み取れませんでした (エントリー API の JSON ではありませんでした)。しばらくしてからもう一度お試しください。",
  },
} as const satisfies MessageTable;
