import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";
import { onPostgres } from "./support/test-database.js";

/*
 * Storing a fetched feed in chunks: a feed far larger than one chunk is stored whole or not at
 * all, and a re-poll that brings nothing new writes nothing.
 */

const MINUTE = 60_000;

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T00:00:00.000Z");
  app = await startTestApp({ clock });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

const itemUrl = (i: number) => `https://big.example/posts/${i}`;

/** An RSS 2.0 feed of `count` items; `title(i)` words each one. */
function rss(count: number, title = (i: number) => `Postmortem ${i}`): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>${title(i)}</title><link>${itemUrl(i)}</link><description>What happened in ${i}</description><pubDate>Tue, 24 Nov 2026 00:00:00 GMT</pubDate></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>${items}</channel></rss>`;
}

async function pollAgain() {
  clock.advance(10 * MINUTE);
  return app.services.feeds.pollDue();
}

async function articleCount(): Promise<number> {
  const row = await app.db
    .selectFrom("feed_articles")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("storing a fetched feed", () => {
  it("stores a 1,200-item feed whole, and a re-poll of the same items changes no article", async () => {
    feeds.set("/big.xml", { body: rss(1200), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/big.xml")}`);
    expect(await articleCount()).toBe(1200);
    const before = await app.db
      .selectFrom("articles")
      .select(["canonical_url", "title", "summary", "revision"])
      .orderBy("id")
      .execute();
    expect(new Set(before.map((row) => row.canonical_url)).size).toBe(1200);

    // Same items, new validators: fetched and parsed in full, but nothing to write.
    feeds.set("/big.xml", { body: rss(1200), etag: '"v2"' });
    await pollAgain();
    const after = await app.db
      .selectFrom("articles")
      .select(["canonical_url", "title", "summary", "revision"])
      .orderBy("id")
      .execute();
    expect(after).toEqual(before);
  });

  it("marks re-listed items as listed again only once an hour has passed since the last mark", async () => {
    feeds.set("/big.xml", { body: rss(150), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/big.xml")}`);
    const listedAt = async () =>
      new Set(
        (await app.db.selectFrom("articles").select("updated_at").execute()).map(
          (row) => row.updated_at,
        ),
      );
    const subscribedAt = clock().toISOString();
    expect(await listedAt()).toEqual(new Set([subscribedAt]));

    // Ten minutes on, the same items again (in a body that changed elsewhere, so it is parsed
    // again): nothing is written.
    feeds.set("/big.xml", { body: `${rss(150)}<!-- v2 -->`, etag: '"v2"' });
    await pollAgain();
    expect(await listedAt()).toEqual(new Set([subscribedAt]));

    // Over an hour after the mark, they are marked as listed now (retention reads it).
    clock.advance(55 * MINUTE);
    feeds.set("/big.xml", { body: `${rss(150)}<!-- v3 -->`, etag: '"v3"' });
    await pollAgain();
    expect(await listedAt()).toEqual(new Set([clock().toISOString()]));
  });

  it("updates only the item whose title changed, once, in a later chunk", async () => {
    feeds.set("/big.xml", { body: rss(1200), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/big.xml")}`);
    feeds.set("/big.xml", {
      body: rss(1200, (i) => (i === 1100 ? "Postmortem 1100 (resolved)" : `Postmortem ${i}`)),
      etag: '"v2"',
    });
    await pollAgain();
    const changed = await app.db
      .selectFrom("articles")
      .select(["canonical_url", "title", "revision"])
      .where("revision", ">", 0)
      .execute();
    expect(changed).toEqual([
      { canonical_url: itemUrl(1100), title: "Postmortem 1100 (resolved)", revision: 1 },
    ]);
    expect(await articleCount()).toBe(1200);
  });

  it("leaves nothing half-written when an item past the first chunk fails to store", async () => {
    feeds.set("/big.xml", { body: rss(3), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/big.xml")}`);
    expect(await articleCount()).toBe(3);

    // The database refuses the 900th article (the second chunk); the first 500 were written
    // in the same transaction and must go with it.
    if (onPostgres) {
      await sql`create function refuse_article() returns trigger language plpgsql as $$
        begin raise exception 'refused'; end $$`.execute(app.db);
      await sql`create trigger refuse_900 before insert on articles for each row
        when (new.canonical_url = ${sql.lit(itemUrl(900))}) execute function refuse_article()`.execute(
        app.db,
      );
    } else {
      await sql`create trigger refuse_900 before insert on articles
        when new.canonical_url = ${sql.lit(itemUrl(900))}
        begin select raise(abort, 'refused'); end`.execute(app.db);
    }
    feeds.set("/big.xml", { body: rss(1200), etag: '"v2"' });
    await pollAgain();
    expect(await articleCount()).toBe(3);
    const stored = await app.db
      .selectFrom("articles")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(3);
    const feed = await app.db
      .selectFrom("feeds")
      .select(["consecutive_failures"])
      .executeTakeFirstOrThrow();
    expect(feed.consecutive_failures).toBe(1);
  });
});
