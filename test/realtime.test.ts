import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS, DIGEST_METADATA_EVENT } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import type { RecordedCall } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { sampleOf, scrape } from "./support/metrics-text.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Realtime subscriptions against an evolving status page: each new incident posted once as its
 * own message with the article buttons and the mention, each update a reply in its thread with
 * the post edited to show the latest state, nothing repeated in the digest.
 */

const MINUTE = 60_000;

/** One item of a status page's RSS 2.0 feed. */
interface Incident {
  id: string;
  title: string;
  text: string;
  published: string;
}

/** A status page's RSS 2.0 feed with these items, newest first as status pages list them. */
function statusFeed(
  incidents: Incident[],
  ttl?: number,
): { body: string; contentType: string; etag: string } {
  const xml = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const items = [...incidents]
    .reverse()
    .map(
      (incident) => `<item>
      <title>${xml(incident.title)}</title>
      <link>https://status.cloud.example/incidents/${incident.id}</link>
      <guid isPermaLink="false">incident-${incident.id}</guid>
      <pubDate>${new Date(incident.published).toUTCString()}</pubDate>
      <description><![CDATA[${incident.text}]]></description>
    </item>`,
    )
    .join("\n");
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Example Cloud Status</title>
  <link>https://status.cloud.example/</link>
  <description>Incidents</description>
  ${ttl ? `<ttl>${ttl}</ttl>` : ""}
  ${items}
</channel></rss>`;
  // An ETag per content (the default one is the length, which two updates may share).
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  return { body, contentType: "application/rss+xml; charset=utf-8", etag };
}

const OLD: Incident = {
  id: "old",
  title: "Scheduled maintenance: database upgrade",
  text: "<p><strong>Completed</strong> - The maintenance is over.</p>",
  published: "2026-11-20T01:00:00Z",
};

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;
let pauses: number;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  pauses = 0;
  app = await startTestApp({
    clock,
    pause: async () => {
      pauses++;
    },
  });
  feeds.set("/status.rss", statusFeed([OLD]));
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** What the realtime job does on its tick, a poll interval later. */
async function tick(ms = 2 * MINUTE) {
  clock.advance(ms);
  await app.services.feeds.pollRealtimeDue();
  await app.services.realtime.deliverDue();
}

/** Messages opsfeed posted in a channel (successful chat.postMessage calls). */
function posts(channel: string): RecordedCall[] {
  return app.fakeSlack
    .callsTo("chat.postMessage")
    .filter((call) => call.args.channel === channel && call.outcome.ok);
}

/** Top-level posts (not thread replies) in a channel. */
function parents(channel: string): RecordedCall[] {
  return posts(channel).filter((call) => call.args.thread_ts === undefined);
}

function replies(channel: string): RecordedCall[] {
  return posts(channel).filter((call) => call.args.thread_ts !== undefined);
}

function buttonsOf(call: RecordedCall | undefined): Array<[string, string]> {
  const blocks = (call?.args.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id: string; value: string }>;
  }>;
  return (blocks.find((block) => block.type === "actions")?.elements ?? []).map((button) => [
    button.action_id,
    button.value,
  ]);
}

async function articleId(incidentId: string): Promise<number> {
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", `https://status.cloud.example/incidents/${incidentId}`)
    .executeTakeFirstOrThrow();
  return row.id;
}

function firstLine(call: RecordedCall | undefined): string {
  return textOf(call?.args).split("\n")[0] ?? "";
}

describe("a realtime subscription to a status page", () => {
  it("posts an incident once, each update and the resolution in its thread, the post edited to the latest state", async () => {
    const subscribed = await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`);
    expect(subscribed.text).toContain("Realtime");
    await tick();
    // What the feed held when the channel subscribed is not posted.
    expect(posts("C_OPS")).toHaveLength(0);

    const incident: Incident = {
      id: "2026-11-25-api",
      title: "Increased API error rates in ap-northeast-1",
      text: "<p><strong>Investigating</strong> - We are investigating elevated errors.</p>",
      published: "2026-11-25T10:01:00Z",
    };
    feeds.set("/status.rss", statusFeed([OLD, incident]));
    await tick();
    expect(parents("C_OPS")).toHaveLength(1);
    const post = parents("C_OPS")[0];
    const id = await articleId(incident.id);
    expect(firstLine(post)).toBe(
      `*Investigating:* *#${id}* <https://status.cloud.example/incidents/2026-11-25-api|Increased API error rates in ap-northeast-1>`,
    );
    expect(textOf(post?.args)).toContain("We are investigating elevated errors.");
    expect(post?.args.text).toContain("Investigating: Increased API error rates");
    expect(post?.args.unfurl_links).toBe(false);
    expect(post?.args.unfurl_media).toBe(false);
    expect(buttonsOf(post)).toEqual([
      [ARTICLE_ACTIONS.readLater, String(id)],
      [ARTICLE_ACTIONS.assign, String(id)],
      [ARTICLE_ACTIONS.comment, String(id)],
      [ARTICLE_ACTIONS.done, String(id)],
    ]);
    const ts = (await app.fakeSlack.waitForCall("chat.postMessage")).outcome.ok
      ? app.fakeSlack.postedMessages("C_OPS")[0]?.ts
      : undefined;
    expect(ts).toBeDefined();

    // The same poll again finds nothing new: nothing more is posted.
    await tick();
    expect(posts("C_OPS")).toHaveLength(1);

    const updates = [
      "<p><strong>Identified</strong> - A faulty deployment was identified.</p>",
      "<p><strong>Monitoring</strong> - A fix was rolled out; we are monitoring.</p>",
    ];
    for (const text of updates) {
      feeds.set("/status.rss", statusFeed([OLD, { ...incident, text }]));
      await tick();
    }
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          ...incident,
          title: "Resolved: increased API error rates in ap-northeast-1",
          text: "<p><strong>Resolved</strong> - This incident has been resolved.</p>",
        },
      ]),
    );
    await tick();
    await tick();

    expect(parents("C_OPS")).toHaveLength(1);
    const thread = replies("C_OPS");
    expect(thread).toHaveLength(3);
    for (const reply of thread) expect(reply.args.thread_ts).toBe(ts);
    expect(textOf(thread[0]?.args)).toContain("*Update:* *Identified:*");
    expect(textOf(thread[0]?.args)).toContain("A faulty deployment was identified.");
    expect(textOf(thread[1]?.args)).toContain("we are monitoring.");
    expect(textOf(thread[2]?.args)).toContain("Resolved: increased API error rates");
    expect(textOf(thread[2]?.args)).toContain(
      "The title was: Increased API error rates in ap-northeast-1",
    );

    // The post itself shows the latest state on its first line.
    const edits = app.fakeSlack
      .callsTo("chat.update")
      .filter((call) => call.args.ts === ts && call.outcome.ok);
    expect(edits).toHaveLength(3);
    const [message] = app.fakeSlack.postedMessages("C_OPS");
    expect(textOf(message).split("\n")[0]).toBe(
      `*Resolved:* *#${id}* <https://status.cloud.example/incidents/2026-11-25-api|Resolved: increased API error rates in ap-northeast-1>`,
    );
    expect(buttonsOf({ args: message } as unknown as RecordedCall)).toHaveLength(4);
    // One message per run here: nothing to pace.
    expect(pauses).toBe(0);
    const metrics = await scrape(app.url);
    expect(sampleOf(metrics, "opsfeed_realtime_posts_total", { outcome: "posted" })).toBe(4);
    expect(sampleOf(metrics, "opsfeed_realtime_posts_total", { outcome: "failed" })).toBe(0);
  });

  it("posts each new article once in each of two realtime channels, in order of publication, paced", async () => {
    for (const channelId of ["C_A", "C_B"]) {
      await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`, { channelId });
    }
    const incidents = ["one", "two", "three"].map((id, index) => ({
      id,
      title: `Incident ${id}`,
      text: `Investigating - incident ${id}.`,
      published: `2026-11-25T10:0${index + 1}:00Z`,
    }));
    feeds.set("/status.rss", statusFeed([OLD, ...incidents]));
    await tick();
    await tick();
    for (const channel of ["C_A", "C_B"]) {
      const shown = parents(channel).map((call) => firstLine(call).replace(/.*\|/, ""));
      expect(shown, channel).toEqual(["Incident one>", "Incident two>", "Incident three>"]);
    }
    // Two pauses per channel: between the first and second, and the second and third post.
    expect(pauses).toBe(4);
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(6);
  });

  it("keeps to its filters and mentions a person or a user group on the first line", async () => {
    await app.ask(
      `subscribe ${feeds.url("/status.rss")} include:api realtime mention:<@UONCALL|oncall>`,
      {
        channelId: "C_A",
      },
    );
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime mention:<!subteam^S0SRE|@sre>`, {
      channelId: "C_B",
    });
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          id: "api",
          title: "API latency <!channel> & errors",
          text: "Investigating - slow API.",
          published: "2026-11-25T10:01:00Z",
        },
        {
          id: "dns",
          title: "DNS resolution failures",
          text: "Investigating - DNS.",
          published: "2026-11-25T10:02:00Z",
        },
      ]),
    );
    await tick();
    const a = parents("C_A");
    expect(a).toHaveLength(1);
    expect(firstLine(a[0])).toMatch(
      /^<@UONCALL> \*Investigating:\* \*#\d+\* <[^|]+\|API latency &lt;!channel&gt; &amp; errors>$/,
    );
    expect(a[0]?.args.text).toMatch(/^<@UONCALL> Investigating: API latency &lt;!channel&gt;/);
    const b = parents("C_B");
    expect(b).toHaveLength(2);
    for (const call of b) expect(firstLine(call)).toMatch(/^<!subteam\^S0SRE> /);
  });

  it("leaves realtime articles out of the channel's digest, and starts from what is new when switched back", async () => {
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`);
    await app.ask(`subscribe ${feeds.url("ops-links.json")}`);
    const incident: Incident = {
      id: "queue",
      title: "Queue backlog",
      text: "Investigating - backlog.",
      published: "2026-11-25T10:01:00Z",
    };
    feeds.set("/status.rss", statusFeed([OLD, incident]));
    await tick();
    expect(parents("C_OPS")).toHaveLength(1);

    clock.advance(MINUTE);
    await app.ask("digest now");
    const digest = posts("C_OPS").filter(
      (call) =>
        (call.args.metadata as { event_type?: string }).event_type === DIGEST_METADATA_EVENT,
    );
    expect(digest).toHaveLength(1);
    expect(textOf(digest[0]?.args)).not.toContain("Queue backlog");
    expect(textOf(digest[0]?.args)).not.toContain("database upgrade");

    // Back to the digest: what was posted in realtime, and what is older, is not dumped there.
    const back = await app.ask(`subscribe ${feeds.url("/status.rss")}`);
    expect(back.text).toContain("Switched this subscription back to the digest");
    clock.advance(MINUTE);
    expect((await app.ask("digest now")).text).toContain("Nothing new");

    clock.advance(MINUTE);
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        incident,
        {
          id: "new",
          title: "Object storage errors",
          text: "Investigating.",
          published: "2026-11-25T10:05:00Z",
        },
      ]),
    );
    clock.advance(MINUTE);
    const next = await app.ask("digest now");
    expect(next.text).toContain("1 article");
    const last = posts("C_OPS").at(-1);
    expect(textOf(last?.args)).toContain("Object storage errors");
    expect(textOf(last?.args)).not.toContain("Queue backlog");
    // Not realtime any more: nothing was posted on its own.
    expect(
      parents("C_OPS").filter((call) => textOf(call.args).includes("Object storage")),
    ).toHaveLength(1);
  });

  it("posts what one poll recorded exactly once after a restart between poll and post", async () => {
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`);
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          id: "r",
          title: "Login failures",
          text: "Investigating.",
          published: "2026-11-25T10:01:00Z",
        },
      ]),
    );
    clock.advance(2 * MINUTE);
    await app.services.feeds.pollRealtimeDue();
    expect(posts("C_OPS")).toHaveLength(0);
    await app.restart();
    await app.services.realtime.deliverDue();
    await app.services.realtime.deliverDue();
    await tick();
    expect(parents("C_OPS")).toHaveLength(1);
    expect(firstLine(parents("C_OPS")[0])).toContain("Login failures");
  });

  it("lets a rate limit on one channel hold only that channel", async () => {
    for (const channelId of ["C_SLOW", "C_FAST"]) {
      await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`, { channelId });
    }
    app.fakeSlack.failNext("chat.postMessage", {
      status: 429,
      retryAfterSeconds: 6,
      when: (args) => args.channel === "C_SLOW",
    });
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          id: "x",
          title: "Network partition",
          text: "Investigating.",
          published: "2026-11-25T10:01:00Z",
        },
      ]),
    );
    await tick();
    expect(parents("C_FAST")).toHaveLength(1);
    expect(parents("C_SLOW")).toHaveLength(0);
    const rateLimited = app.fakeSlack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === "C_SLOW" && call.outcome.status === 429);
    expect(rateLimited).toHaveLength(1);

    // Slack's Retry-After is real seconds; once it has passed the channel gets its post, once.
    await new Promise((resolve) => setTimeout(resolve, 6_200));
    await tick(10_000);
    await tick();
    expect(parents("C_SLOW")).toHaveLength(1);
    expect(parents("C_FAST")).toHaveLength(1);
  }, 20_000);

  it("lets the channel's members use the post's buttons, also after unsubscribing, and no one outside a private channel", async () => {
    app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
    app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
    app.fakeSlack.addChannel({ id: "G_SRE", name: "sre", isPrivate: true, members: ["UALICE"] });
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`, {
      channelId: "G_SRE",
      userId: "UALICE",
    });
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          id: "p",
          title: "Private outage",
          text: "Investigating.",
          published: "2026-11-25T10:01:00Z",
        },
      ]),
    );
    await tick();
    const [post] = app.fakeSlack.postedMessages("G_SRE");
    if (!post) throw new Error("no realtime post");
    const id = await articleId("p");
    const reach = await app.db
      .selectFrom("article_channels")
      .selectAll()
      .where("article_id", "=", id)
      .execute();
    expect(reach).toMatchObject([{ channel_id: "G_SRE", via: "realtime" }]);
    await app.ask(`unsubscribe ${feeds.url("/status.rss")}`, {
      channelId: "G_SRE",
      userId: "UALICE",
    });

    const click = async (userId: string) => {
      const sent = await app.slack.blockActions({
        user: { id: userId },
        container: {
          type: "message",
          message_ts: post.ts,
          channel_id: "G_SRE",
          is_ephemeral: false,
        },
        channel: { id: "G_SRE", name: "sre" },
        message: { type: "message", ts: post.ts, text: post.text, blocks: post.blocks },
        actions: [
          {
            type: "button",
            action_id: ARTICLE_ACTIONS.readLater,
            block_id: `article-${id}`,
            value: String(id),
            text: { type: "plain_text", text: "Read later" },
            action_ts: "1700000000.000001",
          },
        ],
      });
      const response = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
      return textOf(response.body);
    };
    expect(await click("UALICE")).toContain("Private outage");
    expect(await click("UBOB")).toMatch(/no article #\d+ that you can see/);
    const saved = await app.db.selectFrom("read_later").select(["user_id", "article_id"]).execute();
    expect(saved).toEqual([{ user_id: "UALICE", article_id: id }]);
  });

  it("posts a comment on a realtime article in the post's thread", async () => {
    app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`);
    feeds.set(
      "/status.rss",
      statusFeed([
        OLD,
        {
          id: "c",
          title: "Cache evictions",
          text: "Investigating.",
          published: "2026-11-25T10:01:00Z",
        },
      ]),
    );
    await tick();
    const [post] = app.fakeSlack.postedMessages("C_OPS");
    const id = await articleId("c");
    await app.ask(`comment ${id} failing over to the standby`, { userId: "UALICE" });
    const reply = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.thread_ts === post?.ts,
    );
    expect(textOf(reply.args)).toContain("failing over to the standby");
    expect(replies("C_OPS")).toHaveLength(1);
  });

  it("takes no update from two feeds that word one incident differently, only from a feed that changes it", async () => {
    const incident: Incident = {
      id: "shared",
      title: "Elevated latency",
      text: "Investigating - latency.",
      published: "2026-11-25T10:01:00Z",
    };
    feeds.set("/regional.rss", statusFeed([OLD]));
    await app.ask(`subscribe ${feeds.url("/status.rss")} realtime`);
    await app.ask(`subscribe ${feeds.url("/regional.rss")}`, { channelId: "C_REGION" });
    feeds.set("/status.rss", statusFeed([OLD, incident]));
    feeds.set(
      "/regional.rss",
      statusFeed([
        OLD,
        { ...incident, title: "[Tokyo] Elevated latency", text: "Tokyo - latency." },
      ]),
    );
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * MINUTE);
      await app.services.feeds.pollDue();
      await tick();
    }
    expect(parents("C_OPS")).toHaveLength(1);
    expect(replies("C_OPS")).toHaveLength(0);

    feeds.set(
      "/status.rss",
      statusFeed([OLD, { ...incident, text: "Monitoring - a fix is out." }]),
    );
    await tick();
    await tick();
    expect(replies("C_OPS")).toHaveLength(1);
    expect(textOf(replies("C_OPS")[0]?.args)).toContain("a fix is out");
  });
});
