import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { buildJobs } from "../src/jobs/index.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { digestPosts, jsonFeed } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { sampleOf, scrape } from "./support/metrics-text.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * OPSFEED_RETENTION_DAYS: the daily prune deletes old articles nothing keeps (and their rows,
 * search included) and clears old sent messages' payloads, on the real app and database.
 */

let app: TestApp | null = null;
let feeds: FeedServer;
let clock: FakeClock;

const DAY = 86_400_000;

const BUSY_ITEMS = [
  { id: "queued", title: "Queued runbook" },
  { id: "commented", title: "Commented postmortem" },
  { id: "assigned", title: "Assigned checklist" },
  { id: "saved", title: "Saved dashboard" },
  { id: "realtime", title: "Realtime alert" },
  { id: "read", title: "Obsolete capacity plan" },
  { id: "stale1", title: "Obsolete rotation notes" },
  { id: "stale2", title: "Obsolete vendor memo" },
  { id: "listed", title: "Standing status page" },
];

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await feeds.close();
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  app = await startTestApp({ clock, env, pause: async () => {} });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  return app;
}

/** Runs one of the app's recurring jobs now, as the scheduler would. */
async function runJob(running: TestApp, name: string): Promise<void> {
  const job = buildJobs(running.services).find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no job ${name}`);
  await job.run();
}

async function articleId(running: TestApp, id: string): Promise<number | null> {
  const row = await running.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", `https://articles.example/${id}`)
    .executeTakeFirst();
  return row?.id ?? null;
}

async function requireArticle(running: TestApp, id: string): Promise<number> {
  const found = await articleId(running, id);
  if (found === null) throw new Error(`no article ${id}`);
  return found;
}

/** Two feeds in C_OPS, one digest of them, and the team's work on its articles. */
async function digestWithTeamWork(running: TestApp) {
  feeds.set("/busy.json", jsonFeed("Busy feed", BUSY_ITEMS));
  feeds.set(
    "/quiet.json",
    jsonFeed("Quiet feed", [{ id: "quiet1", title: "Quiet standing page" }]),
  );
  await running.ask(`subscribe ${feeds.url("/busy.json")}`);
  await running.ask(`subscribe ${feeds.url("/quiet.json")}`);
  clock.advance(60_000);
  await running.ask("digest now");
  expect(digestPosts(running.fakeSlack.postedMessages("C_OPS"))).not.toHaveLength(0);

  const id = (name: string) => requireArticle(running, name);
  await running.ask(`later ${await id("queued")}`, { userId: "UALICE" });
  await running.ask(`comment ${await id("commented")} worth keeping`, { userId: "UALICE" });
  await running.ask(`assign <@UBOB> ${await id("assigned")}`, { userId: "UALICE" });
  await running.ask(`done ${await id("read")}`, { userId: "UALICE" });
  // A saved message's link and a realtime post, as those features record them.
  const now = clock().toISOString();
  await running.db
    .insertInto("link_reaction_articles")
    .values({
      user_id: "UBOB",
      channel_id: "C_OPS",
      message_ts: "1700000000.000100",
      article_id: await id("saved"),
      saved_at: now,
    })
    .execute();
  await running.db
    .insertInto("realtime_posts")
    .values({
      channel_id: "C_OPS",
      article_id: await id("realtime"),
      subscription_id: 1,
      outbox_key: "realtime:test",
      sort_at: now,
      created_at: now,
    })
    .execute();
}

describe("retention prune", () => {
  it("deletes old articles nothing keeps, keeps the rest, and never re-posts a listed one", async () => {
    const running = await start({ OPSFEED_RETENTION_DAYS: "30" });
    await digestWithTeamWork(running);
    const readId = await requireArticle(running, "read");
    const oldDigestKeys = (
      await running.db.selectFrom("outbox").select("key").where("kind", "=", "digest").execute()
    ).map((row) => row.key);
    expect(oldDigestKeys.length).toBeGreaterThan(0);
    expect((await running.ask("search obsolete")).text).toContain("Obsolete vendor memo");

    // Forty days on, the busy feed lists new items and still one old one; the quiet one has
    // not changed (304).
    clock.advance(40 * DAY);
    const busyNow = [
      { id: "fresh1", title: "Fresh incident" },
      { id: "fresh2", title: "Fresh release" },
      { id: "listed", title: "Standing status page" },
    ];
    feeds.set("/busy.json", jsonFeed("Busy feed", busyNow));
    await running.ask("digest now");

    await runJob(running, "prune-retention");

    for (const gone of ["read", "stale1", "stale2"]) {
      expect(await articleId(running, gone), gone).toBeNull();
    }
    for (const kept of [
      "queued",
      "commented",
      "assigned",
      "saved",
      "realtime",
      "quiet1",
      "listed",
    ]) {
      expect(await articleId(running, kept), kept).not.toBeNull();
    }
    for (const fresh of ["fresh1", "fresh2"]) {
      expect(await articleId(running, fresh), fresh).not.toBeNull();
    }
    // Their rows went with them: the read mark, the feed links, the search index.
    const reads = await running.db
      .selectFrom("article_reads")
      .select("user_id")
      .where("article_id", "=", readId)
      .execute();
    expect(reads).toEqual([]);
    const search = await running.ask("search obsolete");
    expect(search.text).not.toContain("Obsolete vendor memo");
    expect(search.text).not.toContain("Obsolete rotation notes");
    expect((await running.ask("search runbook")).text).toContain("Queued runbook");

    // The old digest's blocks are cleared, the one posted today kept.
    const payloads = await running.db
      .selectFrom("outbox")
      .select(["key", "payload"])
      .where("kind", "=", "digest")
      .execute();
    for (const row of payloads) {
      if (oldDigestKeys.includes(row.key)) expect(row.payload, row.key).toBe("");
      else expect(row.payload, row.key).toContain("Fresh incident");
    }

    const metrics = await scrape(running.url);
    expect(sampleOf(metrics, "opsfeed_articles_pruned_total")).toBe(3);
    // The digest's and every other message sent before the retention (the assignment's DM…).
    const cleared = await running.db
      .selectFrom("outbox")
      .select("kind")
      .where("payload", "=", "")
      .execute();
    expect(cleared.length).toBeGreaterThan(oldDigestKeys.length);
    expect(sampleOf(metrics, "opsfeed_payloads_cleared_total")).toBe(cleared.length);
    expect(running.logs.filter((line) => line.includes("retention prune finished"))).toHaveLength(
      1,
    );

    // Team work on an article of the old digest no longer edits it, and fails nowhere.
    const updatesBefore = running.fakeSlack.callsTo("chat.update").length;
    await running.ask(`comment ${await requireArticle(running, "queued")} still relevant`, {
      userId: "UBOB",
    });
    await running.services.digestLines.flush();
    expect(running.fakeSlack.callsTo("chat.update")).toHaveLength(updatesBefore);
    expect(running.logs.join("\n")).not.toContain("could not update a digest message");

    // The quiet feed now changes, still listing its old article: only the new one is posted.
    const postsBefore = digestPosts(running.fakeSlack.postedMessages("C_OPS")).length;
    feeds.set(
      "/quiet.json",
      jsonFeed("Quiet feed", [
        { id: "quiet1", title: "Quiet standing page" },
        { id: "quiet2", title: "Quiet new page" },
      ]),
    );
    clock.advance(60_000);
    await running.ask("digest now");
    const latest = digestPosts(running.fakeSlack.postedMessages("C_OPS")).slice(postsBefore);
    const text = JSON.stringify(latest);
    expect(text).toContain("Quiet new page");
    expect(text).not.toContain("Quiet standing page");
    expect(text).not.toContain("Fresh incident");
    expect(text).not.toContain("Standing status page");

    // A second prune finds nothing more to do.
    const again = await running.services.retention.prune();
    expect(again).toMatchObject({ status: "pruned", articles: 0, payloads: 0 });
  });

  it("keeps an article the feed's last fetch listed without marking it again", async () => {
    const running = await start({ OPSFEED_RETENTION_DAYS: "30" });
    feeds.set("/status.json", jsonFeed("Status", [{ id: "standing", title: "Standing page" }]));
    await running.ask(`subscribe ${feeds.url("/status.json")}`);
    // Fifty minutes later the feed adds an item and still lists the first, which was marked
    // as listed too recently to be marked again.
    clock.advance(50 * 60_000);
    feeds.set(
      "/status.json",
      jsonFeed("Status", [
        { id: "standing", title: "Standing page" },
        { id: "second", title: "Second page" },
      ]),
    );
    await running.ask("digest now");

    // The feed is not fetched again for forty days; the prune keeps what it last listed.
    clock.advance(40 * DAY);
    await runJob(running, "prune-retention");
    expect(await articleId(running, "standing")).not.toBeNull();
    expect(await articleId(running, "second")).not.toBeNull();

    // When the feed comes back with a new item, only that one is new.
    feeds.set(
      "/status.json",
      jsonFeed("Status", [
        { id: "standing", title: "Standing page" },
        { id: "second", title: "Second page" },
        { id: "third", title: "Third page" },
      ]),
    );
    const postsBefore = digestPosts(running.fakeSlack.postedMessages("C_OPS")).length;
    await running.ask("digest now");
    const text = JSON.stringify(
      digestPosts(running.fakeSlack.postedMessages("C_OPS")).slice(postsBefore),
    );
    expect(text).toContain("Third page");
    expect(text).not.toContain("Standing page");
  });

  it("keeps everything with OPSFEED_RETENTION_DAYS=0, and schedules no prune", async () => {
    const running = await start({ OPSFEED_RETENTION_DAYS: "0" });
    await digestWithTeamWork(running);
    clock.advance(400 * DAY);
    feeds.set("/busy.json", jsonFeed("Busy feed", [{ id: "fresh1", title: "Fresh incident" }]));
    await running.ask("digest now");

    expect(buildJobs(running.services).map((job) => job.name)).not.toContain("prune-retention");
    expect(await running.services.retention.prune()).toMatchObject({ status: "disabled" });
    for (const kept of [...BUSY_ITEMS.map((item) => item.id), "quiet1"]) {
      expect(await articleId(running, kept), kept).not.toBeNull();
    }
    const cleared = await running.db
      .selectFrom("outbox")
      .select("key")
      .where("payload", "=", "")
      .execute();
    expect(cleared).toEqual([]);
  });

  it("prunes once when two runs start together", async () => {
    const running = await start({ OPSFEED_RETENTION_DAYS: "30" });
    await digestWithTeamWork(running);
    clock.advance(40 * DAY);
    feeds.set("/busy.json", jsonFeed("Busy feed", [{ id: "fresh1", title: "Fresh incident" }]));
    await running.ask("digest now");

    const runs = await Promise.all([
      running.services.retention.prune(),
      running.services.retention.prune(),
    ]);
    expect(runs.map((run) => run.status).sort()).toEqual(["busy", "pruned"]);
    // The busy feed no longer lists its standing page either: four old articles go.
    expect(runs.reduce((sum, run) => sum + run.articles, 0)).toBe(4);
    for (const gone of ["read", "stale1", "stale2", "listed"]) {
      expect(await articleId(running, gone), gone).toBeNull();
    }
    // No dangling rows: every feed link and search document has its article.
    const dangling = await running.db
      .selectFrom("search_documents as s")
      .leftJoin("articles as a", "a.id", "s.article_id")
      .select("s.id")
      .where("a.id", "is", null)
      .execute();
    expect(dangling).toEqual([]);
  });

  it("is run by hand with `opsfeed prune`", async () => {
    const running = await start({ OPSFEED_RETENTION_DAYS: "30" });
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      env: { DATABASE_URL: running.settings.databaseUrl, OPSFEED_RETENTION_DAYS: "30" },
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
    };
    expect(await runCli(["prune"], io)).toBe(0);
    expect(out.join("\n")).toMatch(
      /^pruned what is older than .+: 0 articles deleted, 0 message payloads cleared$/,
    );
    out.length = 0;
    expect(
      await runCli(["prune"], { ...io, env: { ...io.env, OPSFEED_RETENTION_DAYS: "0" } }),
    ).toBe(0);
    expect(out.join("\n")).toBe("OPSFEED_RETENTION_DAYS is 0: everything is kept, nothing pruned");
    expect(err).toEqual([]);
  });
});
