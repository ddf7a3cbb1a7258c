import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrations } from "../db/migrations/index.js";
import { runCli } from "../src/cli.js";
import { parseOpml } from "../src/feeds/opml.js";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, fixture, startFeedServer } from "./support/feed-server.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.js";

let feeds: FeedServer;
let dir: string;
let database: TestDatabase;

beforeEach(async () => {
  feeds = await startFeedServer();
  dir = mkdtempSync(join(tmpdir(), "opsfeed-cli-"));
  database = await createTestDatabase();
});

afterEach(async () => {
  await feeds.close();
  await database.drop();
});

/** Runs the CLI in-process with exactly `env`, collecting what it prints. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, {
    env: {
      DATABASE_URL: database.url,
      OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
      ...env,
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

describe("opsfeed --help", () => {
  it("lists every verb of the contract", async () => {
    const { status, out } = await cli(["--help"]);
    expect(status).toBe(0);
    for (const verb of [
      "migrate",
      "poll",
      "preview <feed-url>",
      "import-opml",
      "export-opml",
      "backup",
    ]) {
      expect(out).toContain(`opsfeed ${verb}`);
    }
  });

  it("refuses an unknown verb with status 2 and the list", async () => {
    const { status, err } = await cli(["frobnicate"]);
    expect(status).toBe(2);
    expect(err).toContain('unknown command "frobnicate"');
    expect(err).toContain("opsfeed preview");
  });

  it("prints one line per bad setting and exits 1", async () => {
    const { status, err } = await cli(["migrate"], { OPSFEED_ALLOW_PRIVATE_NETWORKS: "perhaps" });
    expect(status).toBe(1);
    expect(err).toBe('OPSFEED_ALLOW_PRIVATE_NETWORKS: expected true or false, got "perhaps"');
  });
});

describe("opsfeed migrate and backup", () => {
  // SQLite's own: backup writes a SQLite file.
  it.skipIf(onPostgres)("migrates once and backs the database up", async () => {
    const all = Object.keys(migrations);
    expect(all.slice(0, 3)).toEqual([
      "0001-initial",
      "0002-digest-message-payload",
      "0003-delivery",
    ]);
    expect((await cli(["migrate"])).out).toBe(all.map((name) => `applied ${name}`).join("\n"));
    expect((await cli(["migrate"])).out).toBe("database is up to date");
    const target = join(dir, "copy.sqlite");
    const backup = await cli(["backup", target]);
    expect(backup.status).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect((await cli(["migrate"], { DATABASE_URL: target })).out).toBe("database is up to date");
  });

  it.runIf(onPostgres)("migrates a Postgres database once", async () => {
    const all = Object.keys(migrations);
    expect((await cli(["migrate"])).out).toBe(all.map((name) => `applied ${name}`).join("\n"));
    expect((await cli(["migrate"])).out).toBe("database is up to date");
  });

  it("refuses to back up a Postgres database in one line, pointing to pg_dump", async () => {
    const refused = await cli(["backup", join(dir, "copy.sqlite")], {
      DATABASE_URL: "postgres://opsfeed@db.example/opsfeed",
    });
    expect(refused.status).toBe(1);
    expect(refused.err).toBe(
      "opsfeed backup: backup copies SQLite databases only: DATABASE_URL is a Postgres database, back it up with pg_dump",
    );
    expect(existsSync(join(dir, "copy.sqlite"))).toBe(false);
  });
});

describe("opsfeed preview", () => {
  it("prints the Hatena fixture's articles with bookmark counts, storing nothing", async () => {
    const { status, out } = await cli(["preview", feeds.url("hatena-hotentry-it.rdf")]);
    expect(status).toBe(0);
    expect(out).toContain(
      "はてなブックマーク - 人気エントリー - テクノロジー (rdf): 8 articles, 8 pass the filters",
    );
    expect(out).toMatch(
      / {3}412 {2}2021-02-20 01:12 UTC {2}AWS 東京リージョン apne-az1 障害で起きたこと、やったこと/,
    );
    expect(out).toContain("https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage");
    expect(await database.isCreated()).toBe(false);
  });

  it("honours include:, exclude: and min:", async () => {
    const { out } = await cli([
      "preview",
      feeds.url("hatena-hotentry-it.rdf"),
      "include:redis,監視",
      "exclude:monitoring",
      "min:90",
    ]);
    expect(out).toContain("8 articles, 3 pass the filters");
    // min: first (64, 23, 12), then include: (the two that mention neither word).
    expect(out).toContain("dropped: include: 2, exclude: 0, min: 3");
    expect(out).toContain("Redis 不適切利用が本番で時限爆弾になる 10 のパターン");
    expect(out).toContain("ElastiCache for Redis");
    expect(out).toContain("誰が監視者を監視するのか");
    expect(out).not.toContain("unicorn");
  });

  it("says why a feed cannot be previewed", async () => {
    const broken = await cli(["preview", feeds.url("malformed.xml")]);
    expect(broken.status).toBe(1);
    expect(broken.err).toContain("is broken");
    const strict = await cli(["preview", feeds.url("ops-links.json")], {
      OPSFEED_ALLOW_PRIVATE_NETWORKS: "false",
    });
    expect(strict.err).toContain("private or internal network address");
    const bad = await cli(["preview", "not-a-url"]);
    expect(bad.status).toBe(2);
    expect(bad.err).toContain("usage: opsfeed preview <feed-url>");
  });
});

describe("opsfeed import-opml, export-opml and poll", () => {
  it("subscribes a channel to an OPML file's feeds, exports them, and polls them", async () => {
    const opml = join(dir, "feeds.opml");
    writeFileSync(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
        <outline text="Ops">
          <outline type="rss" text="Status" xmlUrl="${feeds.url("status-incidents.rss")}"/>
          <outline type="rss" text="Blog" xmlUrl="${feeds.url("engineering-blog.atom")}"/>
          <outline type="rss" text="Gone" xmlUrl="${feeds.url("gone.rss")}"/>
        </outline></body></opml>`,
    );
    const imported = await cli(["import-opml", opml, "--channel", "C0OPS"]);
    expect(imported.status).toBe(1);
    expect(imported.out).toContain(
      `subscribed C0OPS to ${feeds.url("status-incidents.rss")} (Example Cloud Status - Incidents, 3 articles)`,
    );
    expect(imported.out).toContain(
      `failed ${feeds.url("gone.rss")}: The feed server answered with HTTP 404`,
    );
    expect(imported.out).toContain("2 of 3 feeds subscribed");

    const exported = await cli(["export-opml", "--channel", "C0OPS"]);
    expect(parseOpml(exported.out).map((feed) => feed.feedUrl)).toEqual([
      feeds.url("status-incidents.rss"),
      feeds.url("engineering-blog.atom"),
    ]);
    expect((await cli(["export-opml", "--channel", "C0NONE"])).out).not.toContain("xmlUrl");

    feeds.set("/status-incidents.rss", (_req, res) => {
      res.writeHead(500).end();
    });
    const polled = await cli(["poll"]);
    // A failed feed makes the exit status 1.
    expect(polled.status).toBe(1);
    expect(polled.out).toContain(
      `feed 1 ${feeds.url("status-incidents.rss")}: error: The feed server answered with HTTP 500`,
    );
    expect(polled.out).toContain(`feed 2 ${feeds.url("engineering-blog.atom")}: not modified`);
    expect(polled.out).toContain("2 polled, 1 failed, 0 backing off");
    // Backed off: the failing feed is not fetched again at once, and poll says when it will be.
    const again = await cli(["poll"], { OPSFEED_TIMEZONE: "Asia/Tokyo" });
    expect(again.status).toBe(0);
    expect(again.out).toMatch(
      new RegExp(
        `^feed 1 ${feeds.url("status-incidents.rss")}: skipped, backing off after 1 failures; next attempt \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Asia/Tokyo$`,
        "m",
      ),
    );
    expect(again.out).toContain("feed 2 ");
    expect(again.out).toContain("1 polled, 0 failed, 1 backing off");
  });

  it("imports the shared OPML fixture's feeds, reporting the ones it cannot reach", async () => {
    const file = join(dir, "subscriptions.opml");
    writeFileSync(file, fixture("subscriptions.opml"));
    const { status, out } = await cli(["import-opml", file, "--channel", "C0OPS"]);
    expect(status).toBe(1);
    expect(out).toContain("failed https://b.hatena.example/hotentry/it.rss");
    expect(out).toContain("0 of 3 feeds subscribed");
  });

  it("asks for the channel", async () => {
    const { status, err } = await cli(["import-opml", "x.opml"]);
    expect(status).toBe(2);
    expect(err).toContain("usage: opsfeed import-opml <file> --channel <channel-id>");
  });
});

describe("opsfeed digest", () => {
  it("prints the digest as Block Kit JSON with --dry-run, recording nothing, then posts it", async () => {
    const opml = join(dir, "feeds.opml");
    writeFileSync(
      opml,
      `<opml version="2.0"><body><outline xmlUrl="${feeds.url("status-incidents.rss")}"/></body></opml>`,
    );
    await cli(["import-opml", opml, "--channel", "C0OPS"]);

    const dry = await cli(["digest", "--channel", "C0OPS", "--dry-run"]);
    expect(dry.status).toBe(0);
    const messages = JSON.parse(dry.out) as Array<{ text: string; blocks: unknown[] }>;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain("3 new articles");
    expect(JSON.stringify(messages[0]?.blocks)).toContain(
      "Increased API error rates in ap-northeast-1",
    );
    const db = openDatabase(database.url);
    await migrateToLatest(db);
    expect(await db.selectFrom("digests").selectAll().execute()).toEqual([]);
    await db.destroy();

    const noToken = await cli(["digest", "--channel", "C0OPS"]);
    expect(noToken.status).toBe(1);
    expect(noToken.err).toContain("SLACK_BOT_TOKEN is needed to post");

    const slack = await startFakeSlack();
    try {
      const env = { SLACK_BOT_TOKEN: "xoxb-cli", SLACK_API_URL: slack.apiUrl };
      const posted = await cli(["digest", "--channel", "C0OPS"], env);
      expect(posted.out).toMatch(/^posted digest 1 to C0OPS: 3 articles in 1 messages$/);
      expect(slack.postedMessages("C0OPS")).toHaveLength(1);
      expect((await cli(["digest", "--channel", "C0OPS"], env)).out).toBe(
        "nothing new for C0OPS; nothing posted",
      );
    } finally {
      await slack.close();
    }
  });
});

describe("bin/opsfeed.js", () => {
  it("runs preview as its own process", async () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        join(root, "bin/opsfeed.js"),
        "preview",
        feeds.url("hatena-hotentry-it.rdf"),
        "include:redis",
      ],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", OPSFEED_ALLOW_PRIVATE_NETWORKS: "true" },
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("8 articles, 2 pass the filters");
    expect(out).toContain(
      "   156  2021-02-19 03:00 UTC  ElastiCache for Redis 運用小話: キー削除とメモリの話",
    );
  });
});
