import type { MessageTable } from "../message-table.js";

/** Why a feed could not be downloaded (src/feeds/safe-fetch.ts). */
export const fetchMessages = {
  "fetch.invalid-url": {
    en: "That doesn't look like a valid feed URL. Please check it and try again.",
    ja: "フィードの URL として正しくないようです。確認してもう一度お試しください。",
  },
  "fetch.unsupported-scheme": {
    en: "opsfeed can only read feeds over http or https, not `{scheme}`.",
    ja: "opsfeed が読めるのは http または https のフィードだけです（`{scheme}` には対応していません）。",
  },
  "fetch.blocked-address": {
    en: "`{host}` points to {address}, a private or internal network address, so opsfeed will not fetch it. If this feed really lives on your internal network, an operator can allow such addresses with the `OPSFEED_ALLOW_PRIVATE_NETWORKS` setting.",
    ja: "`{host}` の接続先 {address} はプライベート（内部）ネットワークのアドレスのため、opsfeed は取得しません。社内ネットワーク上のフィードを読む必要がある場合は、運用担当者が `OPSFEED_ALLOW_PRIVATE_NETWORKS` の設定で許可できます。",
  },
  "fetch.dns-failure": {
    en: "Couldn't find the server `{host}`. Please check the spelling of the feed URL.",
    ja: "サーバー `{host}` が見つかりませんでした。フィードの URL のつづりを確認してください。",
  },
  "fetch.timeout": {
    en: "The feed server didn't finish responding within {seconds} seconds. Please try again later.",
    ja: "フィードのサーバーから {seconds} 秒以内に応答が返ってきませんでした。しばらくしてからもう一度お試しください。",
  },
  "fetch.too-large": {
    en: "The feed is larger than {megabytes} MB, so opsfeed stopped downloading it.",
    ja: "フィードが {megabytes} MB を超えているため、ダウンロードを中止しました。",
  },
  "fetch.too-many-redirects": {
    en: "The feed URL redirected more than {max} times, so opsfeed gave up. Please open it in a browser to check where it leads.",
    ja: "フィードの URL が {max} 回を超えてリダイレクトされたため、取得を中止しました。ブラウザで開いて転送先を確認してください。",
  },
  "fetch.http-status": {
    en: "The feed server answered with HTTP {status}. Please check the URL, or try again later.",
    ja: "フィードのサーバーが HTTP {status} を返しました。URL を確認するか、しばらくしてからもう一度お試しください。",
  },
  "fetch.proxy-refused": {
    en: "The outbound proxy refused to connect to {target} (HTTP {status}), so the feed could not be downloaded. An operator can check the proxy's rules or `NO_PROXY`.",
    ja: "送信用プロキシが {target} への接続を拒否したため（HTTP {status}）、フィードをダウンロードできませんでした。運用担当者がプロキシの設定または `NO_PROXY` を確認できます。",
  },
  "fetch.proxy-unreachable": {
    en: "The outbound proxy {proxy} cannot be reached ({reason}). Please try again later; if it keeps failing, an operator can check `HTTPS_PROXY` / `HTTP_PROXY`.",
    ja: "送信用プロキシ {proxy} に接続できません（{reason}）。しばらくしてからもう一度お試しください。続く場合は運用担当者が `HTTPS_PROXY` / `HTTP_PROXY` を確認できます。",
  },
  "fetch.network": {
    en: "Couldn't download the feed ({reason}). Please try again later.",
    ja: "フィードをダウンロードできませんでした（{reason}）。しばらくしてからもう一度お試しください。",
  },
} as const satisfies MessageTable;
