/**
 * How long 1,000 channels due at the same minute take to get their digests, with one and with
 * three opsfeed processes on one database, against a stand-in Slack that answers each call
 * after a few milliseconds and does not limit, or answers 5% of posts 429 (Retry-After 1).
 * Each digest carries 70 articles, so it is several messages, paced about a second apart.
 * Real processes (`node --import tsx src/main.ts`), as in production; run by `npm run bench`.
 * Each run gets a fresh database: a SQLite file in a temp folder, or a database of its own on
 * the Postgres at BENCH_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres) when
 * one answers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { type RecordedCall, startFakeSlack } from "../test/support/fake-slack.js";
import { benchSubscription, insertFeedArticle } from "./seed.js";

const CHANNELS = 1000;
const ARTICLES = 70;
/** How long the stand-in Slack takes to answer each call. */
const ANSWER_DELAY_MS = 20;
const repoRoot = fileURLToPath(new URL("../", import.meta.url));

/** One measurement: how many processes, how long until every due digest was posted. */
export interface DueChannelsResult {
  processes: number;
  seconds: number;
  /** digests posted whole (their last part in) */
  posted: number;
  /** messages Slack took, and how many posts it answered 429 */
  messages: number;
  limited: number;
}

/** How a run's stand-in Slack answers. */
export interface DueChannelsOptions {
  /** the share of chat.postMessage calls answered 429 with Retry-After 1 (default 0) */
  limitedShare?: number;
}

function startProcess(env: Record<string, string>, cwd: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<folder> writes each opsfeed process's CPU profile there as it stops.
      ...(process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      "--import",
      import.meta.resolve("tsx"),
      join(repoRoot, "src/main.ts"),
    ],
    { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    let listening = false;
    const onData = (chunk: Buffer) => {
      if (listening) return;
      output += chunk.toString();
      if (output.includes("opsfeed listening")) {
        listening = true;
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`opsfeed exited with ${code}:\n${output}`)));
  });
}

/** Seeds one feed of ARTICLES articles and CHANNELS channels subscribed to it, all due now. */
async function seed(databaseUrl: string): Promise<void> {
  const db = openDatabase(databaseUrl);
  await migrateToLatest(db);
  const now = new Date().toISOString();
  const feed = await db
    .insertInto("feeds")
    .values({ url: "https://feeds.example/bench.xml", title: "Bench", created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let i = 0; i < ARTICLES; i++) {
    await insertFeedArticle(
      db,
      feed.id,
      {
        url: `https://articles.example/${i}`,
        title: `Article ${i}: what the incident review of service ${i} found`,
      },
      now,
    );
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < CHANNELS; i++) {
      const channel = `CBENCH${i}`;
      await trx
        .insertInto("subscriptions")
        .values(benchSubscription(channel, feed.id, now))
        .execute();
      await trx
        .insertInto("channels")
        .values({
          channel_id: channel,
          digest_hour: 9,
          digest_minute: 0,
          digest_days: "daily",
          time_zone: "UTC",
          // Not due yet: the clock starts once every process is up.
          next_digest_at: "2999-01-01T00:00:00.000Z",
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  });
  await db.destroy();
}

/** Makes every channel due at once. */
async function makeDue(databaseUrl: string): Promise<void> {
  const db = openDatabase(databaseUrl);
  await db
    .updateTable("channels")
    .set({ next_digest_at: new Date(Date.now() - 1000).toISOString() })
    .execute();
  await db.destroy();
}

/** Measures one run with `processes` opsfeed processes on a fresh database. */
export async function measureDueChannels(
  processes: number,
  databaseUrlFor: (run: string) => string,
  options: DueChannelsOptions = {},
): Promise<DueChannelsResult> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-"));
  const databaseUrl = databaseUrlFor(join(dir, "bench.sqlite"));
  await databasesReady();
  const slack = await startFakeSlack({ answerDelayMs: ANSWER_DELAY_MS });
  const share = options.limitedShare ?? 0;
  if (share > 0) {
    slack.failNext("chat.postMessage", {
      status: 429,
      retryAfterSeconds: 1,
      times: Number.MAX_SAFE_INTEGER,
      when: () => Math.random() < share,
    });
  }
  const children: ChildProcess[] = [];
  try {
    await seed(databaseUrl);
    const env = {
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench",
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DATABASE_URL: databaseUrl,
      OPSFEED_DIGEST_CRON: "* * * * * *",
      OPSFEED_POLL_CRON: "0 0 1 1 *",
      OPSFEED_DIGEST_MAX_ARTICLES: String(ARTICLES),
      // "opsfeed listening" is an info line; the digests' own lines are dropped unread.
      LOG_LEVEL: "info",
    };
    for (let i = 0; i < processes; i++) children.push(await startProcess(env, dir));
    await makeDue(databaseUrl);
    const started = performance.now();
    // Counted as calls arrive (looking at each once): this process shares the cores too.
    let seen = 0;
    let posted = 0;
    let messages = 0;
    let limited = 0;
    const count = () => {
      for (; seen < slack.calls.length; seen++) {
        const call = slack.calls[seen] as RecordedCall;
        if (call.method !== "chat.postMessage") continue;
        if (call.outcome.status === 429) limited++;
        if (!call.outcome.ok) continue;
        messages++;
        const payload = (
          call.args.metadata as { event_payload?: { part?: number; parts?: number } }
        )?.event_payload;
        if (payload?.part === payload?.parts) posted++;
      }
      return posted >= CHANNELS ? true : undefined;
    };
    await slack.waitUntil(count, `${CHANNELS} digests`, 600_000);
    const seconds = (performance.now() - started) / 1000;
    return { processes, seconds, posted, messages, limited };
  } finally {
    // A profiled process stops gracefully so that it writes its profile.
    const signal = process.env.BENCH_CPU_PROF ? "SIGTERM" : "SIGKILL";
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill(signal);
          }),
      ),
    );
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `work` with the URL of a fresh Postgres database on BENCH_POSTGRES_URL, dropped
 * afterwards; null (and `work` not run) when no Postgres answers.
 */
export async function withPostgresDatabase<T>(
  work: (databaseUrl: () => string) => Promise<T>,
): Promise<T | null> {
  const server =
    process.env.BENCH_POSTGRES_URL?.trim() || "postgres://root@127.0.0.1:5432/postgres";
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  let databases = 0;
  const created: string[] = [];
  try {
    await run("select 1");
  } catch {
    return null;
  }
  try {
    return await work(() => {
      const name = `opsfeed_bench_${Date.now()}_${process.pid}_${++databases}`;
      created.push(name);
      const url = new URL(server);
      url.pathname = `/${name}`;
      // Created before the processes start, below, since `work` asks synchronously.
      pending.push(run(`create database ${name}`));
      return url.toString();
    });
  } finally {
    for (const name of created) await run(`drop database if exists ${name} with (force)`);
  }
}

const pending: Promise<void>[] = [];

/** Waits until every database handed out by `withPostgresDatabase` exists. */
export async function databasesReady(): Promise<void> {
  await Promise.all(pending.splice(0));
}
