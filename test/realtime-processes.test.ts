import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS } from "../src/slack/ids.js";
import { type FakeSlack, type StoredMessage, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { listeningPort, type OpsfeedProcess, spawnOpsfeed } from "./support/process.js";
import { createSlackRequester } from "./support/signed-requests.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * Realtime posts with real processes on one database: a process killed with SIGKILL after
 * Slack took a post but before it heard back, and two processes polling and posting at once.
 * Each article lands exactly once, in order of publication.
 */

const SECRET = "realtime-process-test-secret";

let fakeSlack: FakeSlack;
let feeds: FeedServer;
let dir: string;
let database: TestDatabase;
const running: OpsfeedProcess[] = [];

function statusFeed(ids: string[]): { body: string; contentType: string; etag: string } {
  const items = ids
    .map(
      (id, index) => `<item><title>Incident ${id}</title>
        <link>https://status.example/incidents/${id}</link>
        <pubDate>${new Date(Date.UTC(2026, 10, 25, 10, index)).toUTCString()}</pubDate>
        <description>Investigating - incident ${id}.</description></item>`,
    )
    .reverse()
    .join("");
  return {
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Status</title><link>https://status.example/</link>${items}</channel></rss>`,
    contentType: "application/rss+xml",
    etag: `"${ids.join("-")}"`,
  };
}

beforeEach(async () => {
  fakeSlack = await startFakeSlack();
  feeds = await startFeedServer();
  feeds.set("/status.rss", statusFeed(["old"]));
  dir = mkdtempSync(join(tmpdir(), "opsfeed-realtime-processes-"));
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

function env(): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-realtime-process-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fakeSlack.apiUrl,
    PORT: "0",
    DATABASE_URL: database.url,
    OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
    // The realtime job ticks every 10 s.
    OPSFEED_REALTIME_POLL_SECONDS: "10",
    LOG_LEVEL: "info",
  };
}

async function startApp(): Promise<{ opsfeed: OpsfeedProcess; url: string }> {
  const opsfeed = spawnOpsfeed(env(), dir);
  running.push(opsfeed);
  return { opsfeed, url: `http://127.0.0.1:${await listeningPort(opsfeed)}` };
}

async function subscribe(url: string, channelId: string) {
  const slack = createSlackRequester({ appUrl: url, signingSecret: SECRET, fakeSlack });
  const sent = await slack.command(`subscribe ${feeds.url("/status.rss")} realtime`, { channelId });
  const reply = await slack.replyTo(sent, { channelId }, 30_000);
  expect(reply.text).toContain("Realtime");
}

/** The titles of the realtime posts in a channel, in the order they were posted. */
function postedTitles(channel: string): string[] {
  return fakeSlack
    .postedMessages(channel)
    .filter((message) => !message.thread_ts)
    .map(
      (message: StoredMessage) =>
        /\|(Incident [^>]+)>/.exec(JSON.stringify(message.blocks))?.[1] ?? "?",
    );
}

function articleIds(channel: string): string[] {
  return fakeSlack.postedMessages(channel).flatMap((message) =>
    (
      (message.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id?: string; value?: string }>;
      }>
    )
      .filter((block) => block.type === "actions")
      .map(
        (block) => block.elements?.find((e) => e.action_id === ARTICLE_ACTIONS.done)?.value ?? "",
      ),
  );
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("realtime posts across processes", () => {
  it("posts each incident once when the process posting them is killed with SIGKILL after Slack took one", async () => {
    const first = await startApp();
    await subscribe(first.url, "C0RT");
    // Slack takes the first post, and its answer never comes back.
    fakeSlack.failNext("chat.postMessage", { afterAccepting: true, hang: true });
    feeds.set("/status.rss", statusFeed(["old", "a", "b", "c"]));
    await fakeSlack.waitUntil(
      () => (postedTitles("C0RT").length >= 1 ? true : undefined),
      "the first realtime post",
      30_000,
    );
    first.opsfeed.child.kill("SIGKILL");
    await first.opsfeed.exited;
    expect(postedTitles("C0RT")).toEqual(["Incident a"]);

    // The next process takes over once the dead one's leases expire, finds the post Slack took
    // by its key, and posts only the rest, in order.
    await startApp();
    await fakeSlack.waitUntil(
      () => (postedTitles("C0RT").length >= 3 ? true : undefined),
      "the rest of the realtime posts",
      60_000,
    );
    await wait(12_000);
    expect(postedTitles("C0RT")).toEqual(["Incident a", "Incident b", "Incident c"]);
    expect(new Set(articleIds("C0RT")).size).toBe(3);
  }, 120_000);

  it("posts each incident once in each channel when two processes poll and post at once", async () => {
    const apps = [await startApp(), await startApp()];
    const channels = ["C0RT1", "C0RT2", "C0RT3"];
    for (const [index, channel] of channels.entries()) {
      await subscribe((apps[index % 2] as { url: string }).url, channel);
    }
    feeds.set("/status.rss", statusFeed(["old", "p", "q", "r", "s"]));
    await fakeSlack.waitUntil(
      () => (channels.every((channel) => postedTitles(channel).length >= 4) ? true : undefined),
      "every channel's realtime posts",
      60_000,
    );
    await wait(12_000);
    for (const channel of channels) {
      expect(postedTitles(channel), channel).toEqual([
        "Incident p",
        "Incident q",
        "Incident r",
        "Incident s",
      ]);
    }
  }, 120_000);
});
