/**
 * `slash-commands`: how many `/opsfeed help` and `/opsfeed later` a second opsfeed answers with
 * 10 concurrent keep-alive connections, beside a bare Bolt 5.1 app measured in the same run
 * (the same HTTPReceiver and signature check; one command that only acks, one that acks then
 * `respond()`s through response_url). The load generator and the loopback response_url server
 * run in a child process of their own (this file, started with `--load-generator`), so the
 * clients do not share the apps' event loop. A run ends when every request has been answered
 * and, for commands answered through response_url, every post to it has arrived.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { Pool } from "undici";
import { readSettings } from "../src/config/settings.js";
import { loggerFor } from "../src/logger.js";
import type { Db } from "../src/store/database.js";
import { insertReadLater } from "../src/store/reading.js";
import { startOpsfeed } from "../src/wiring.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { slackSignature } from "../test/support/signed-requests.js";
import type { BenchResult } from "./result.js";
import { insertFeedArticle } from "./seed.js";

const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const CONCURRENCY = 10;
const USERS = 10;
const SAVED_PER_USER = 5;
const ROUNDS = 3;
/** Requests per measured run: quick commands are cheap, so they get more. */
const QUICK_REQUESTS = 4000;
const RESPOND_REQUESTS = 2000;
const WARM_UP = 500;

/** One run the load generator is asked to make. */
interface LoadJob {
  /** the app's `/slack/events` URL */
  url: string;
  command: string;
  text: string;
  users: string[];
  requests: number;
  /** whether each command is answered through response_url (the run waits for those posts) */
  responses: boolean;
}

/** What the load generator measured. */
export interface LoadRun {
  perSecond: number;
  /** requests answered with something other than 200 */
  failed: number;
  /** acks that carried a message (the answer in the ack body) */
  answeredInAck: number;
  /** posts to response_url received */
  responses: number;
}

const userId = (n: number) => `UBENCH${n}`;

/** Slack's form body for one slash command, with a response_url on the generator's server. */
function commandBody(job: LoadJob, n: number, responseBase: string): string {
  const user = job.users[n % job.users.length] as string;
  return new URLSearchParams({
    token: "verification-token-unused",
    team_id: "T1",
    team_domain: "bench",
    channel_id: "C_BENCH",
    channel_name: "bench",
    user_id: user,
    user_name: user.toLowerCase(),
    command: job.command,
    text: job.text,
    api_app_id: "A_BENCH",
    is_enterprise_install: "false",
    response_url: `${responseBase}/${n}`,
    trigger_id: `${n}.${Date.now()}.bench`,
  }).toString();
}

/** The child: a response_url server, then one load run per message from the parent. */
async function loadGenerator(): Promise<void> {
  let received = 0;
  let waiting: { target: number; done: () => void } | null = null;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      // As Slack answers a response_url post.
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      if (waiting && received >= waiting.target) waiting.done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const responseBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`;
  process.on("message", async (job: LoadJob | "exit") => {
    if (job === "exit") {
      server.close();
      process.exit(0);
    }
    const origin = new URL(job.url);
    const pool = new Pool(origin.origin, { connections: CONCURRENCY });
    // Bodies and signatures made before the clock starts: only the apps' work is timed.
    const now = Math.floor(Date.now() / 1000);
    const requests = Array.from({ length: job.requests }, (_, n) => {
      const body = commandBody(job, n, responseBase);
      return {
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(now),
          "x-slack-signature": slackSignature(SIGNING_SECRET, now, body),
        },
      };
    });
    received = 0;
    let next = 0;
    let failed = 0;
    let answeredInAck = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++] as (typeof requests)[number];
        const answer = await pool.request({
          path: origin.pathname,
          method: "POST",
          headers: request.headers,
          body: request.body,
        });
        const text = await answer.body.text();
        if (answer.statusCode !== 200) failed++;
        else if (text.length > 0) answeredInAck++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (job.responses && received < job.requests) {
      await Promise.race([
        new Promise<void>((done) => {
          waiting = { target: job.requests, done };
        }),
        new Promise((resolve) => setTimeout(resolve, 30_000)),
      ]);
      waiting = null;
    }
    const seconds = (performance.now() - started) / 1000;
    await pool.close();
    const run: LoadRun = {
      perSecond: job.requests / seconds,
      failed,
      answeredInAck,
      responses: received,
    };
    process.send?.(run);
  });
  process.send?.({ ready: true });
}

/** Starts the load generator child and returns a function that runs one job in it. */
async function startLoadGenerator(): Promise<{
  run: (job: LoadJob) => Promise<LoadRun>;
  stop: () => void;
}> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--load-generator"], {
    execArgv: ["--import", import.meta.resolve("tsx")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
  });
  return {
    run: (job) =>
      new Promise((resolve) => {
        child.once("message", (run) => resolve(run as LoadRun));
        child.send(job);
      }),
    stop: () => child.send("exit"),
  };
}

/** A bare Bolt 5.1 app: the same receiver and signature check, nothing else. */
async function startBareBolt(): Promise<{ url: string; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET });
  const app = new App({
    token: "xoxb-bare-bench",
    receiver,
    tokenVerificationEnabled: false,
    // Known ids: Bolt then never calls auth.test (there is no Slack here to answer it).
    botId: "BBARE",
    botUserId: "UBARE",
    logLevel: LogLevel.ERROR,
  });
  app.command("/bare-ack", async ({ ack }) => {
    await ack();
  });
  app.command("/bare-respond", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", replace_original: false, text: "Done." });
  });
  const server = (await app.start(0)) as unknown as { address(): AddressInfo };
  return {
    url: `http://127.0.0.1:${server.address().port}/slack/events`,
    stop: () => app.stop() as Promise<void>,
  };
}

/** A few saved articles for every bench user, straight through the store. */
async function seedQueues(db: Db): Promise<void> {
  const now = new Date().toISOString();
  const feed = await db
    .insertInto("feeds")
    .values({ url: "https://feeds.example/bench.xml", title: "Bench feed", created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let i = 0; i < SAVED_PER_USER * USERS; i++) {
    const url = `https://articles.example/${i}`;
    const articleId = await insertFeedArticle(
      db,
      feed.id,
      { url, title: `Incident review ${i}: the failover that took longer than planned` },
      now,
    );
    await insertReadLater(db, { userId: userId(i % USERS), articleId, channelId: "C_BENCH" }, now);
  }
}

/** A real opsfeed (HTTP receiver, a temp SQLite file) against a stand-in Slack on loopback. */
async function startBenchOpsfeed(dir: string) {
  const fakeSlack = await startFakeSlack({
    users: Array.from({ length: USERS }, (_, n) => ({
      id: userId(n),
      name: `bench${n}`,
      // Half the users read Japanese: both languages' paths are measured.
      locale: n % 2 === 0 ? "en-US" : "ja-JP",
    })),
  });
  const result = readSettings({
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fakeSlack.apiUrl,
    PORT: "0",
    DATABASE_URL: join(dir, "opsfeed.sqlite"),
    LOG_LEVEL: "info",
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  // Lines are formatted as in production, then dropped (a terminal would time the terminal).
  const logger = loggerFor(result.settings, () => {});
  const running = await startOpsfeed(result.settings, logger, { startJobs: false });
  await seedQueues(running.db);
  return {
    url: `http://127.0.0.1:${running.port}/slack/events`,
    stop: async () => {
      await running.stop();
      await fakeSlack.close();
    },
  };
}

const range = (values: number[]) =>
  `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
const rate = (value: number) => Math.round(value).toLocaleString("en");

/** Measures both apps in ROUNDS interleaved rounds; the best run of each is compared. */
export async function measureSlashCommands(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-slash-"));
  const load = await startLoadGenerator();
  const bare = await startBareBolt();
  const opsfeed = await startBenchOpsfeed(dir);
  try {
    const users = Array.from({ length: USERS }, (_, n) => userId(n));
    const jobs = {
      bareAck: { url: bare.url, command: "/bare-ack", text: "", responses: false },
      help: { url: opsfeed.url, command: "/opsfeed", text: "help", responses: false },
      bareRespond: { url: bare.url, command: "/bare-respond", text: "", responses: true },
      later: { url: opsfeed.url, command: "/opsfeed", text: "later", responses: true },
    };
    type Name = keyof typeof jobs;
    const runs: Record<Name, LoadRun[]> = { bareAck: [], help: [], bareRespond: [], later: [] };
    const size = (name: Name) =>
      name === "bareAck" || name === "help" ? QUICK_REQUESTS : RESPOND_REQUESTS;
    // Warm-up: the JIT, the connections, and opsfeed's cache of each user's language.
    for (const name of Object.keys(jobs) as Name[]) {
      const run = await load.run({ ...jobs[name], users, requests: WARM_UP });
      if (process.env.BENCH_VERBOSE) console.log(`warm-up ${name}`, JSON.stringify(run));
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(jobs) as Name[]) {
        const run = await load.run({ ...jobs[name], users, requests: size(name) });
        if (process.env.BENCH_VERBOSE) console.log(name, JSON.stringify(run));
        runs[name].push(run);
      }
    }
    const best = (name: Name) => Math.max(...runs[name].map((run) => run.perSecond));
    const ratios = (name: Name, ceiling: Name) =>
      runs[name].map((run, i) => run.perSecond / (runs[ceiling][i] as LoadRun).perSecond);
    const problems = (name: Name) => {
      const failed = runs[name].reduce((n, run) => n + run.failed, 0);
      return failed > 0 ? `; ${failed} failed` : "";
    };
    const helpRatio = best("help") / best("bareAck");
    const laterRatio = best("later") / best("bareRespond");
    const inAck = runs.help.every((run) => run.answeredInAck === QUICK_REQUESTS);
    const allResponded = runs.later.every((run) => run.responses === RESPOND_REQUESTS);
    return [
      {
        name: `slash \`help\`, ${CONCURRENCY} concurrent: ${rate(best("help"))}/s vs bare ack-only ${rate(best("bareAck"))}/s (rounds ${range(ratios("help", "bareAck"))}${inAck ? "; answered in the ack" : "; NOT all in the ack"}${problems("help")})`,
        goal: ">= 0.8",
        measured: helpRatio.toFixed(2),
        ok: helpRatio >= 0.8 && inAck && problems("help") === "",
      },
      {
        name: `slash \`later\`, ${CONCURRENCY} concurrent: ${rate(best("later"))}/s vs bare ack + respond ${rate(best("bareRespond"))}/s (rounds ${range(ratios("later", "bareRespond"))}${allResponded ? "" : "; responses missing"}${problems("later")})`,
        goal: ">= 0.8",
        measured: laterRatio.toFixed(2),
        ok: laterRatio >= 0.8 && allResponded && problems("later") === "",
      },
    ];
  } finally {
    load.stop();
    await opsfeed.stop();
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--load-generator")) await loadGenerator();
