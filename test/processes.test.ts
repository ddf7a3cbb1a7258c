import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.js";
import { digestArticleIds, digestPosts, jsonFeed, manyItems } from "./support/factories.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { listeningPort, type OpsfeedProcess, spawnCli, spawnOpsfeed } from "./support/process.js";
import { createSlackRequester } from "./support/signed-requests.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * Real processes on one database: what two of them do at once, and what a process killed
 * with SIGKILL mid-digest leaves for the next one. Every article lands exactly once.
 */

const SECRET = "process-test-signing-secret";
const ARTICLES = 60;
/** A channel id the CLI accepts (C followed by capitals and digits). */
const CHANNEL = "C0OPS";

let fakeSlack: FakeSlack;
let feeds: FeedServer;
let dir: string;
let database: TestDatabase;
const running: OpsfeedProcess[] = [];

beforeEach(async () => {
  fakeSlack = await startFakeSlack();
  fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  feeds = await startFeedServer();
  feeds.set("/many.json", jsonFeed("Many", manyItems(ARTICLES)));
  dir = mkdtempSync(join(tmpdir(), "opsfeed-processes-"));
  database = await createTestDatabase();
});

afterEach(async () => {
  for (const opsfeed of running.splice(0)) {
    if (opsfeed.child.exitCode === null && opsfeed.child.signalCode === null) {
      opsfeed.child.kill("SIGKILL");
      await opsfeed.exited;
    }
  }
  await fakeSlack.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

/** The settings every process of a test shares: one database, the stand-ins, fast ticks. */
function sharedEnv(): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-process-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fakeSlack.apiUrl,
    PORT: "0",
    DATABASE_URL: database.url,
    OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
    OPSFEED_DIGEST_MAX_ARTICLES: "200",
    // Look for due digests and unfinished work every second instead of every minute.
    OPSFEED_DIGEST_CRON: "* * * * * *",
    LOG_LEVEL: "info",
  };
}

async function startApp(): Promise<{ opsfeed: OpsfeedProcess; url: string }> {
  const opsfeed = spawnOpsfeed(sharedEnv(), dir);
  running.push(opsfeed);
  return { opsfeed, url: `http://127.0.0.1:${await listeningPort(opsfeed)}` };
}

function requester(url: string) {
  return createSlackRequester({ appUrl: url, signingSecret: SECRET, fakeSlack });
}

async function ask(url: string, text: string, timeoutMs = 30_000) {
  const slack = requester(url);
  const sent = await slack.command(text, { channelId: CHANNEL });
  expect(sent.answer.status).toBe(200);
  return slack.replyTo(sent, { channelId: CHANNEL }, timeoutMs);
}

function postedIds(): number[] {
  return digestArticleIds(fakeSlack.postedMessages(CHANNEL));
}

describe("several processes on one SQLite file", () => {
  it("posts each article once when the CLI and the app post the same digest at once", async () => {
    const { url } = await startApp();
    expect((await ask(url, `subscribe ${feeds.url("/many.json")}`)).text).toContain("Subscribed");

    const cli = spawnCli(["digest", "--channel", CHANNEL], sharedEnv(), dir);
    running.push(cli);
    const [reply, exit] = await Promise.all([ask(url, "digest now"), cli.exited]);

    const ids = postedIds();
    expect(ids).toHaveLength(ARTICLES);
    expect(new Set(ids).size).toBe(ARTICLES);
    // Each tells the truth: one posted everything, the other found nothing new.
    const cliPosted = new RegExp(`posted digest \\d+ to ${CHANNEL}: 60 articles`).test(
      cli.stdout(),
    );
    const appPosted = reply.text.includes("Posted the digest in this channel: 60 articles");
    expect([cliPosted, appPosted].filter(Boolean)).toHaveLength(1);
    if (cliPosted) expect(reply.text).toContain("Nothing new");
    else expect(cli.stdout()).toContain(`nothing new for ${CHANNEL}; nothing posted`);
    expect(exit.code).toBe(0);
  });

  it("finishes a digest once after the process posting it is killed with SIGKILL", async () => {
    const first = await startApp();
    await ask(first.url, `subscribe ${feeds.url("/many.json")}`);
    const slack = requester(first.url);
    // Not awaited: the process dies while posting the digest's parts.
    await slack.command("digest now", { channelId: CHANNEL });
    await fakeSlack.waitUntil(
      () => (digestPosts(fakeSlack.postedMessages(CHANNEL)).length >= 1 ? true : undefined),
      "the first digest part",
      20_000,
    );
    first.opsfeed.child.kill("SIGKILL");
    await first.opsfeed.exited;
    const partsBeforeKill = digestPosts(fakeSlack.postedMessages(CHANNEL)).length;
    expect(partsBeforeKill).toBeLessThan(4);

    // The next process takes over once the dead one's lease expires, and posts only the rest.
    await startApp();
    await fakeSlack.waitUntil(
      () => (postedIds().length >= ARTICLES ? true : undefined),
      "the rest of the digest",
      45_000,
    );
    const ids = postedIds();
    expect(ids).toHaveLength(ARTICLES);
    expect(new Set(ids).size).toBe(ARTICLES);
  }, 60_000);
});

describe("three app processes on one database", () => {
  const CHANNELS = 50;
  const PER_CHANNEL = 20;

  /** Subscribes CHANNELS channels to one feed of PER_CHANNEL articles (two digest messages each). */
  async function subscribeChannels(url: string) {
    feeds.set("/shared.json", jsonFeed("Shared", manyItems(PER_CHANNEL, "s")));
    for (let i = 0; i < CHANNELS; i++) {
      const slack = requester(url);
      const sent = await slack.command(`subscribe ${feeds.url("/shared.json")}`, {
        channelId: `CMULTI${i}`,
      });
      await slack.replyTo(sent, { channelId: `CMULTI${i}` }, 30_000);
    }
  }

  /** Makes every channel's scheduled digest due now: the same minute for all of them. */
  async function makeAllDue() {
    const db = openDatabase(database.url);
    try {
      await db
        .updateTable("channels")
        .set({ next_digest_at: new Date(Date.now() - 1000).toISOString() })
        .execute();
    } finally {
      await db.destroy();
    }
  }

  function channelsDone(): number {
    let done = 0;
    for (let i = 0; i < CHANNELS; i++) {
      if (digestArticleIds(fakeSlack.postedMessages(`CMULTI${i}`)).length >= PER_CHANNEL) done++;
    }
    return done;
  }

  it("posts every due digest once, also when one of them is killed mid-digest", async () => {
    const apps = [await startApp(), await startApp(), await startApp()];
    await subscribeChannels((apps[0] as { url: string }).url);
    await makeAllDue();
    // Kill one process once digests are under way, whatever it is doing at that moment.
    await fakeSlack.waitUntil(
      () => (digestPosts(allPosts()).length >= 10 ? true : undefined),
      "the first digests",
      30_000,
    );
    const victim = apps[1] as { opsfeed: OpsfeedProcess };
    victim.opsfeed.child.kill("SIGKILL");
    await victim.opsfeed.exited;

    await fakeSlack.waitUntil(
      () => (channelsDone() === CHANNELS ? true : undefined),
      "every channel's digest",
      60_000,
    );
    for (let i = 0; i < CHANNELS; i++) {
      const ids = digestArticleIds(fakeSlack.postedMessages(`CMULTI${i}`));
      expect(ids, `channel CMULTI${i}`).toHaveLength(PER_CHANNEL);
      expect(new Set(ids).size, `channel CMULTI${i}`).toBe(PER_CHANNEL);
    }
  }, 120_000);

  function allPosts() {
    return Array.from({ length: CHANNELS }, (_, i) =>
      fakeSlack.postedMessages(`CMULTI${i}`),
    ).flat();
  }
});
