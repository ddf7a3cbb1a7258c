/**
 * `search` on 1,000,000 articles: rows generated straight into a temp SQLite file (batched
 * inserts, the documents made by the same `searchDocuments` the store uses), then 100 searches
 * of mixed one-, two- and three-or-more-character words through the real use case, worst case
 * for visibility (the channel's one subscription carries every article). Run by
 * `npm run bench -- search` (alone) or `npm run bench` (with the rest).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import type { Access } from "../src/access/access.js";
import { createSearchService } from "../src/search/search.js";
import { searchDocuments } from "../src/search/types.js";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { searchDocumentWriter } from "./search-documents.js";

/** What one run measured. */
export interface SearchBenchResult {
  articles: number;
  buildSeconds: number;
  searches: number;
  p50: number;
  p95: number;
  max: number;
  /** the five slowest searches, slowest first */
  slowest: { query: string; ms: number }[];
}

const JA_WORDS = [
  "障害",
  "対応",
  "復旧",
  "監視",
  "遅延",
  "発生",
  "報告",
  "手順",
  "改善",
  "調査",
  "完了",
  "影響",
  "予定",
  "設定",
  "変更",
  "性能",
  "原因",
  "緊急",
  "東京",
  "大阪",
  "本番",
  "検証",
  "サーバ",
  "ネットワーク",
  "データベース",
  "メンテナンス",
  "リリース",
  "アラート",
  "ログ",
  "クラウド",
  "コンテナ",
  "セキュリティ",
  "脆弱性",
  "証明書",
  "負荷",
  "通信",
  "接続",
  "停止",
  "再起動",
  "障害対応",
  "振り返り",
  "お知らせ",
  "まとめ",
  "入門",
  "運用",
  "自動化",
  "猫",
  "犬",
  "空",
  "雨",
  "春",
  "夏",
  "新機能",
  "料金",
  "終了",
  "開始",
  "延期",
  "一部",
  "全面",
  "地域",
];
const JA_GLUE = ["の", "が", "を", "で", "と", "に", "について", "における", "、"];
const EN_WORDS = [
  "outage",
  "database",
  "latency",
  "deploy",
  "rollback",
  "incident",
  "db",
  "io",
  "k8s",
  "kubernetes",
  "postgres",
  "review",
  "network",
  "cache",
  "redis",
  "api",
  "error",
  "timeout",
  "release",
  "upgrade",
  "ai",
  "go",
  "security",
  "patch",
  "cve",
  "disk",
  "cpu",
  "memory",
  "alert",
  "on-call",
  "postmortem",
  "failover",
  "replica",
  "backup",
  "restore",
  "dns",
  "tls",
  "certificate",
  "load",
  "balancer",
  "queue",
  "kafka",
  "s3",
  "region",
  "zone",
  "throttling",
  "migration",
  "schema",
  "index",
  "query",
  "slow",
  "fast",
  "new",
  "how",
  "we",
  "fixed",
  "the",
];
/** Kanji that make up rarer Japanese words, so one- and two-character searches vary in reach. */
const KANJI =
  "日本語検索全文索引障害対応監視記録運用構成管理計画実施確認承認申請通知配信受信送信処理速度容量拡張縮小移行統合分割暗号認証権限設計試験品質保守契約費用予算資源割当優先順位期限担当部署会議議事録資料文書作成更新削除追加修正";

/** A deterministic generator, so every run searches the same corpus. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const rnd = random(42);
/** Mostly common words, sometimes rare ones: a skew like real titles. */
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() ** 1.6 * list.length)] as T;
const rareKanjiWord = () =>
  Array.from(
    { length: 2 + Math.floor(rnd() * 2) },
    () => KANJI[Math.floor(rnd() * KANJI.length)],
  ).join("");

function title(japanese: boolean, n: number): string {
  if (japanese) {
    const parts: string[] = [];
    const count = 3 + Math.floor(rnd() * 4);
    for (let i = 0; i < count; i++) {
      parts.push(rnd() < 0.25 ? rareKanjiWord() : pick(JA_WORDS));
      if (i < count - 1) parts.push(pick(JA_GLUE));
    }
    return parts.join("");
  }
  const words = Array.from({ length: 4 + Math.floor(rnd() * 5) }, () => pick(EN_WORDS));
  words.push(`svc${n % 5000}`);
  return words.join(" ");
}

/** Writes `count` articles, their feed link and their search documents into the file. */

function generate(path: string, count: number): void {
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const now = "2026-11-25T09:00:00.000Z";
  sqlite
    .prepare("insert into feeds (id, url, title, created_at) values (1, ?, 'Bench', ?)")
    .run("https://feeds.example/bench.xml", now);
  sqlite
    .prepare(
      `insert into subscriptions (channel_id, feed_id, include_words, exclude_words, created_by, created_at, updated_at)
       values ('C1', 1, '[]', '[]', 'U1', ?, ?)`,
    )
    .run(now, now);
  const article = sqlite.prepare(
    `insert into articles (id, canonical_url, url, title, summary, published_at, first_seen_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const link = sqlite.prepare(
    "insert into feed_articles (feed_id, article_id, first_seen_at) values (1, ?, ?)",
  );
  const documents = searchDocumentWriter(sqlite);
  const start = Date.parse("2020-01-01T00:00:00Z");
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const japanese = rnd() < 0.5;
      const text = title(japanese, id);
      const summary = japanese
        ? `${pick(JA_WORDS)}に関する記事です。`
        : `A note on ${pick(EN_WORDS)}.`;
      const at = new Date(start + id * 60_000).toISOString();
      const url = `https://articles.example/${id}`;
      article.run(id, url, url, text, summary, at, at, at);
      link.run(id, at);
      for (const doc of searchDocuments({ title: text, summary }, [])) {
        documents.write(id, id, doc);
      }
    }
  });
  for (let from = 1; from <= count; from += 10_000) batch(from, Math.min(count + 1, from + 10_000));
  documents.finish();
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("analyze");
  sqlite.close();
}

/**
 * 100 searches, a third each led by a one-character, a two-character and a longer word, half
 * of them alone and half with a second word of the same language (every tenth of another).
 */
function queries(): string[] {
  const q = random(7);
  const at = <T>(list: readonly T[]) => list[Math.floor(q() * list.length)] as T;
  const sized = (words: string[], min: number, max: number) =>
    words.filter((w) => [...w].length >= min && [...w].length <= max);
  const pools = {
    ja: {
      one: [...sized(JA_WORDS, 1, 1), ...KANJI],
      two: sized(JA_WORDS, 2, 2),
      long: sized(JA_WORDS, 3, 20),
    },
    en: { one: ["k", "x"], two: sized(EN_WORDS, 2, 2), long: sized(EN_WORDS, 3, 20) },
  };
  const list: string[] = [];
  for (let i = 0; i < 100; i++) {
    const language = i % 4 === 3 ? pools.en : pools.ja;
    const other = i % 10 === 9 ? (language === pools.en ? pools.ja : pools.en) : language;
    const lead = [language.one, language.two, language.long][i % 3] as string[];
    const second = [other.long, other.one, other.two][i % 3] as string[];
    list.push(i % 2 ? at(lead) : `${at(lead)} ${at(second)}`);
  }
  return list;
}

/** Builds the corpus and times the searches. */
export async function measureSearch(articles = 1_000_000): Promise<SearchBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-search-"));
  const path = join(dir, "search.sqlite");
  try {
    const schema = openDatabase(path);
    await migrateToLatest(schema);
    await schema.destroy();
    const built = performance.now();
    generate(path, articles);
    const buildSeconds = (performance.now() - built) / 1000;

    const db = openDatabase(path);
    const access: Access = {
      mayRead: async () => true,
      requireChannel: async () => {},
      refuseOutsider: async () => {},
      canSeeArticle: async () => true,
      readableComments: async (_user, comments) => comments,
    };
    const service = createSearchService({ db, access });
    const times: { ms: number; query: string }[] = [];
    for (const query of queries()) {
      const start = performance.now();
      await service.search("U1", "C1", query, 0);
      times.push({ ms: performance.now() - start, query });
    }
    await db.destroy();
    const sorted = [...times].sort((a, b) => a.ms - b.ms);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    return {
      articles,
      buildSeconds,
      searches: times.length,
      p50: at(0.5)?.ms ?? 0,
      p95: at(0.95)?.ms ?? 0,
      max: sorted.at(-1)?.ms ?? 0,
      slowest: sorted.slice(-5).reverse(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
