/**
 * Ack and `/healthz` latency while opsfeed ingests (#16 item 1): opsfeed as a real process
 * (`node --import tsx src/main.ts`, HTTP receiver, stand-in Slack), a load generator in another
 * (bench/ack-load.ts: signed `/opsfeed help` at a fixed rate, `/healthz` beside it), and the
 * feeds on loopback. Three scenarios on one app: idle at 200 commands/s; one 40,000-item feed
 * polled (the largest such feed the 5 MiB fetch limit lets in) at 100/s; 1,000 feeds × 30 items
 * polled (bench/feed-host.ts) at 100/s. The poll is the app's own job (OPSFEED_POLL_CRON every
 * second), started by making the feeds due. BENCH_PARSE_WORKERS sets OPSFEED_PARSE_WORKERS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import type { LatencySummary } from "./ack-load.js";
import { startFeedHost } from "./ingest.js";
import type { BenchResult } from "./result.js";
import { benchSubscription } from "./seed.js";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const BIG_ITEMS = 40_000;
const SMALL_FEEDS = 1000;
const SECRET = "bench-signing-secret";
const NOT_YET = "2999-01-01T00:00:00.000Z";

/** RSS 2.0 with `count` short items: 40,000 of them stay just under the 5 MiB fetch limit. */
function bigFeedBody(count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Incident ${i}</title><link>https://big.example/${i}</link><pubDate>Tue, 24 Nov 2026 00:00:00 GMT</pubDate></item>`,
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Big feed</title><link>https://big.example/</link>\n${items}\n</channel></rss>`;
}

/** A Node process of a TypeScript file, with its stdout read line by line. */
interface Child {
  process: ChildProcess;
  /** resolves with the first line (from now) matching `pattern` */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  send(line: string): void;
}

function startChild(
  file: string,
  env: Record<string, string>,
  cwd: string,
  nodeArgs: string[] = [],
): Child {
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", import.meta.resolve("tsx"), file],
    {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let buffered = "";
  const waiters: Array<{ pattern: RegExp; found: (match: RegExpExecArray) => void }> = [];
  const onLine = (line: string) => {
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(line);
      if (!match) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.found(match);
    }
  };
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    process: child,
    line: (pattern, timeoutMs = 300_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${file}: no line like ${pattern} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          found: (match) => {
            clearTimeout(timer);
            resolve(match);
          },
        });
      }),
    send: (line) => child.stdin?.write(`${line}\n`),
  };
}

/** Stops a child with SIGTERM, and SIGKILL when it has not exited 10 s later. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The big feed and the small ones, subscribed, none due yet. */
async function seed(databaseUrl: string, bigUrl: string, smallUrls: string[]): Promise<void> {
  const db = openDatabase(databaseUrl);
  await migrateToLatest(db);
  const now = new Date().toISOString();
  const urls = [bigUrl, ...smallUrls];
  for (let start = 0; start < urls.length; start += 500) {
    await db.transaction().execute(async (trx) => {
      const feeds = await trx
        .insertInto("feeds")
        .values(
          urls
            .slice(start, start + 500)
            .map((url) => ({ url, title: url, created_at: now, next_fetch_at: NOT_YET })),
        )
        .returning("id")
        .execute();
      await trx
        .insertInto("subscriptions")
        .values(feeds.map((feed) => benchSubscription(`CLAT${feed.id % 100}`, feed.id, now)))
        .execute();
    });
  }
  await db.destroy();
}

/** Makes the feeds whose URL is `like` due now (or never again), from outside the app. */
async function setDue(databaseUrl: string, like: string, due: boolean): Promise<void> {
  const db = openDatabase(databaseUrl);
  await db
    .updateTable("feeds")
    .set({ next_fetch_at: due ? null : NOT_YET })
    .where("url", "like", like)
    .execute();
  await db.destroy();
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The ingest-latency section of `npm run bench`. */
export async function measureIngestLatency(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-latency-"));
  const databaseUrl = join(dir, "latency.sqlite");
  const bigBody = Buffer.from(bigFeedBody(BIG_ITEMS));
  const bigServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(bigBody);
  });
  await new Promise<void>((resolve) => bigServer.listen(0, "127.0.0.1", resolve));
  const bigUrl = `http://127.0.0.1:${(bigServer.address() as AddressInfo).port}/big.xml`;
  const host = await startFeedHost();
  const slack = await startFakeSlack();
  const children: Child[] = [];
  const results: BenchResult[] = [];
  try {
    const smallUrls = Array.from(
      { length: SMALL_FEEDS },
      (_, i) => `http://127.0.0.1:${host.ports[i % host.ports.length]}/feed/${i}.xml`,
    );
    await seed(databaseUrl, bigUrl, smallUrls);
    const workers = process.env.BENCH_PARSE_WORKERS;
    const app = startChild(
      join(repoRoot, "src/main.ts"),
      {
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: "0",
        DATABASE_URL: databaseUrl,
        OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
        OPSFEED_POLL_CRON: "* * * * * *",
        OPSFEED_DIGEST_CRON: "0 0 1 1 *",
        LOG_LEVEL: "info",
        ...(workers ? { OPSFEED_PARSE_WORKERS: workers } : {}),
      },
      dir,
      // BENCH_CPU_PROF=<folder> writes the app's CPU profile there (on a clean stop only).
      process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : [],
    );
    children.push(app);
    const port = (await app.line(/opsfeed listening.*port=(\d+)/, 60_000))[1];
    const load = startChild(
      join(repoRoot, "bench/ack-load.ts"),
      {
        APP_URL: `http://127.0.0.1:${port}`,
        SIGNING_SECRET: SECRET,
        RESPONSE_URL: slack.newResponseUrl().url,
      },
      dir,
    );
    children.push(load);
    const measure = async (commands: number, health: number, during: () => Promise<void>) => {
      load.send(`start ${commands} ${health}`);
      await during();
      const result = load.line(/^result (.*)$/, 60_000);
      load.send("stop");
      return JSON.parse((await result)[1] as string) as LatencySummary;
    };
    const pause = (seconds: number) => () =>
      new Promise<void>((r) => setTimeout(r, seconds * 1000));

    // Warm-up: the app's code paths, the load generator's sockets.
    await measure(50, 10, pause(3));

    const idle = await measure(200, 0, pause(5));
    results.push({
      name: `ack p99 at 200 req/s, idle (${idle.acks.count} acks, ${idle.acks.errors} failed; p50 ${ms(idle.acks.p50)}, max ${ms(idle.acks.max)})`,
      goal: "< 20 ms",
      measured: ms(idle.acks.p99),
      ok: idle.acks.p99 < 20 && idle.acks.errors === 0,
    });

    /** Makes feeds due, and waits (with 0.5 s after) for the poll that takes them in. */
    const pollOf = (like: string, feeds: number) => async () => {
      const finished = app.line(new RegExp(`poll finished.*feeds=${feeds}\\b.*newArticles=(\\d+)`));
      const started = performance.now();
      await setDue(databaseUrl, like, true);
      stored = Number((await finished)[1]);
      pollSeconds = (performance.now() - started) / 1000;
      await pause(0.5)();
    };
    let stored = 0;
    let pollSeconds = 0;

    const big = await measure(100, 20, pollOf("%/big.xml", 1));
    // Not polled again at the next minute, during the next scenario.
    await setDue(databaseUrl, "%/big.xml", false);
    const bigOk = stored === BIG_ITEMS && big.acks.errors === 0;
    results.push({
      name: `ack p99 at 100 req/s while a 40,000-item feed is parsed and stored (${stored} stored in ${pollSeconds.toFixed(1)} s; ${big.acks.count} acks, ${big.acks.errors} failed; max ${ms(big.acks.max)})`,
      goal: "< 50 ms",
      measured: ms(big.acks.p99),
      ok: bigOk && big.acks.p99 < 50,
    });
    results.push({
      name: `/healthz p99 at 20 req/s during the same ingest (${big.healthz.count} answers, ${big.healthz.errors} failed; max ${ms(big.healthz.max)})`,
      goal: "< 50 ms",
      measured: ms(big.healthz.p99),
      ok: big.healthz.errors === 0 && big.healthz.p99 < 50,
    });

    const many = await measure(100, 0, pollOf("%/feed/%", SMALL_FEEDS));
    results.push({
      name: `ack p99 at 100 req/s while a 1,000-feed poll runs (${stored} new articles in ${pollSeconds.toFixed(1)} s; ${many.acks.count} acks, ${many.acks.errors} failed; max ${ms(many.acks.max)})`,
      goal: "< 20 ms",
      measured: ms(many.acks.p99),
      ok: stored === SMALL_FEEDS * 30 && many.acks.errors === 0 && many.acks.p99 < 20,
    });
  } finally {
    // SIGTERM first: opsfeed stops cleanly (and writes its CPU profile when asked to).
    await Promise.all(children.map((child) => stopChild(child.process)));
    host.child.kill("SIGKILL");
    await slack.close();
    await new Promise((resolve) => bigServer.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
