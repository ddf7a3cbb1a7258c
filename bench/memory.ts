/**
 * `memory`: the resident memory of one opsfeed process (plain `node` on the built `dist/`,
 * as `npm start` runs it) over the 1,000,000-article database `digest-scale` builds: idle
 * after start-up, after a round of polling every feed (2,000 loopback feeds, 30 new items
 * each) and posting every channel's digest (1,000 channels, all due at the same minute), and
 * after 1,000 slash commands (`help` and `later`, 10 at a time). RSS is read from
 * /proc/<pid>/status: VmRSS now, VmHWM for the peak since start.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { jsonFeed } from "../test/support/factories.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { startFeedServer } from "../test/support/feed-server.js";
import { createSlackRequester } from "../test/support/signed-requests.js";
import { buildDigestScaleDatabase, CHANNELS, channelId, FEEDS } from "./digest-scale.js";
import type { BenchResult } from "./result.js";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const COMMANDS = 1000;
const WARM_UP_COMMANDS = 200;
const USERS = 10;
const PEAK_GOAL_MB = 150;
/** Growth allowed over 1,000 commands: allocator and JIT noise, not a leak (see README). */
const GROWTH_GOAL_MB = 5;

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
  // RssFile is mostly the SQLite file's memory-mapped pages (and node's own code).
  return { rss: mb("VmRSS"), peak: mb("VmHWM"), anon: mb("RssAnon"), file: mb("RssFile") };
}

/** A loopback port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, checking every 250 ms; false when `ms` pass first. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

/** `node dist/src/main.js` with these settings; resolves once it listens. */
async function startNode(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repoRoot, "dist/src/main.js")], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    // Read (so the pipe never fills) and kept short: only start-up is of interest.
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const started = await until(() => output.includes("opsfeed listening"), 120_000);
  if (!started || child.exitCode !== null) {
    child.kill();
    throw new Error(`opsfeed did not start:\n${output}`);
  }
  return child;
}

/** Builds everything, runs one opsfeed through idle, a poll and digest round, and commands. */
export async function measureMemory(): Promise<BenchResult[]> {
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "ignore" });
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-memory-"));
  const path = join(dir, "opsfeed.sqlite");
  const fakeSlack = await startFakeSlack({
    users: Array.from({ length: USERS }, (_, n) => ({
      id: `UMEM${n}`,
      name: `mem${n}`,
      locale: n % 2 === 0 ? "en-US" : "ja-JP",
    })),
  });
  const feeds = await startFeedServer();
  let child: ChildProcess | undefined;
  try {
    await buildDigestScaleDatabase(path);
    // Every feed on the loopback feed server with 30 new items, every channel due at the
    // minute the poll runs: one round of both at once, the start-up-to-peak case.
    for (let f = 1; f <= FEEDS; f++) {
      const items = Array.from({ length: 30 }, (_, i) => ({
        id: `mem-${f}-${i}`,
        title: `Feed ${f} item ${i}: what changed in the deploy pipeline this week`,
      }));
      feeds.set(`/feeds/${f}.json`, jsonFeed(`Feed ${f}`, items));
    }
    const round = new Date(Date.now() + 150_000);
    const raw = new SQLite(path);
    raw.prepare("update feeds set url = ? || id || '.json'").run(feeds.url("/feeds/"));
    round.setUTCSeconds(0, 0);
    raw
      .prepare("update channels set digest_hour = ?, digest_minute = ?, next_digest_at = ?")
      .run(round.getUTCHours(), round.getUTCMinutes(), round.toISOString());
    raw.close();

    const port = await freePort();
    child = await startNode({
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fakeSlack.apiUrl,
      PORT: String(port),
      DATABASE_URL: path,
      OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
      OPSFEED_POLL_CRON: `${round.getUTCMinutes()} * * * *`,
      LOG_LEVEL: "info",
    });
    const pid = child.pid as number;
    await sleep(10_000);
    const idle = memoryOf(pid);

    // The round: every feed fetched, then every channel's digest posted, then a quiet spell.
    const channelsPosted = () =>
      new Set(fakeSlack.callsTo("chat.postMessage").map((call) => call.args.channel)).size;
    const roundDone = await until(
      () => feeds.requests.length >= FEEDS && channelsPosted() >= CHANNELS,
      360_000,
    );
    await sleep(5_000);
    const afterRound = memoryOf(pid);

    const slack = createSlackRequester({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: SIGNING_SECRET,
      fakeSlack,
    });
    const commands = async (count: number) => {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const n = next++;
          await slack.command(n % 2 === 0 ? "help" : "later", {
            userId: `UMEM${n % USERS}`,
            channelId: channelId((n % CHANNELS) + 1),
          });
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      // Replies through response_url finish after the acks.
      await sleep(2_000);
    };
    await commands(WARM_UP_COMMANDS);
    const beforeCommands = memoryOf(pid);
    await commands(COMMANDS);
    const afterCommands = memoryOf(pid);
    const growth = afterCommands.rss - beforeCommands.rss;
    const mb = (value: number) => `${value.toFixed(0)} MB`;
    const parts = (m: ReturnType<typeof memoryOf>) =>
      `anon ${mb(m.anon)} + file-backed ${mb(m.file)}`;
    return [
      {
        name: `memory, idle on 1,000,000 articles (node dist/, VmRSS: ${parts(idle)})`,
        goal: "report",
        measured: mb(idle.rss),
        ok: true,
      },
      {
        name: `memory after polling ${FEEDS} feeds and posting ${channelsPosted()} channels' digests (${parts(afterRound)})${roundDone ? "" : " (round NOT finished)"}`,
        goal: `< ${PEAK_GOAL_MB} MB`,
        measured: mb(afterRound.rss),
        ok: roundDone && afterRound.rss < PEAK_GOAL_MB,
      },
      {
        name: "memory, peak since start-up (VmHWM)",
        goal: `< ${PEAK_GOAL_MB} MB`,
        measured: mb(afterCommands.peak),
        ok: afterCommands.peak < PEAK_GOAL_MB,
      },
      {
        name: `memory growth over ${COMMANDS} slash commands after ${WARM_UP_COMMANDS} warm-up (${mb(beforeCommands.rss)} → ${mb(afterCommands.rss)}; ${parts(afterCommands)})`,
        goal: `< ${GROWTH_GOAL_MB} MB`,
        measured: mb(growth),
        ok: growth < GROWTH_GOAL_MB,
      },
    ];
  } finally {
    child?.kill();
    await fakeSlack.close();
    await feeds.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
