import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFeed } from "../src/feeds/parse-feed.js";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { storeFetchedFeed } from "../src/store/feeds.js";
import { benchFeedBody } from "./feed-bodies.js";

const n = Number(process.argv[2] ?? 1000);
const db = openDatabase(join(mkdtempSync(join(tmpdir(), "st-")), "x.sqlite"));
await migrateToLatest(db);
const parsed = Array.from({ length: n }, (_, i) =>
  parseFeed(benchFeedBody(i), `http://h/feed/${i}.xml`),
);
const now = new Date().toISOString();
const c1 = process.cpuUsage();
const t1 = performance.now();
const G = Number(process.env.GROUP ?? 1);
for (let i = 0; i < n; i += G)
  await db.transaction().execute(async (trx) => {
    for (let j = i; j < Math.min(n, i + G); j++)
      await storeFetchedFeed(
        trx,
        `http://h/feed/${j}.xml`,
        parsed[j]!,
        { etag: null, lastModified: null },
        now,
      );
  });
const c2 = process.cpuUsage(c1);
const t2 = performance.now();
console.log(`store ${(t2 - t1).toFixed(0)} ms (cpu ${((c2.user + c2.system) / 1000).toFixed(0)})`);
const c3 = process.cpuUsage();
for (let i = 0; i < n; i++)
  await storeFetchedFeed(
    db,
    `http://h/feed/${i}.xml`,
    parsed[i]!,
    { etag: null, lastModified: null },
    now,
  );
const c4 = process.cpuUsage(c3);
console.log(`store unchanged again: cpu ${((c4.user + c4.system) / 1000).toFixed(0)}`);
