import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrations } from "../db/migrations/index.js";
import type { CliIo } from "../src/cli/verb.js";
import { runCli } from "../src/cli.js";
import { isDatabaseHealthy, openDatabase } from "../src/store/database.js";
import { VERSION } from "../src/version.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { spawnOpsfeed } from "./support/process.js";

// What an operator meets at a terminal: one clear line per failure and a truthful exit status.

const root = fileURLToPath(new URL("../", import.meta.url));
let feeds: FeedServer;
let dir: string;
let database: string;
let fakeSlack: FakeSlack | null = null;

beforeEach(async () => {
  feeds = await startFeedServer();
  dir = mkdtempSync(join(tmpdir(), "opsfeed-operator-"));
  database = join(dir, "opsfeed.sqlite");
});

afterEach(async () => {
  await feeds.close();
  await fakeSlack?.close();
  fakeSlack = null;
});

async function cli(args: string[], env: Record<string, string> = {}, extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, {
    env: { DATABASE_URL: database, OPSFEED_ALLOW_PRIVATE_NETWORKS: "true", ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    ...extra,
  });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

/** Runs bin/opsfeed.js as its own process with exactly `env`. */
function bin(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(root, "bin/opsfeed.js"), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: database, ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise<{ status: number | null; out: string; err: string }>((resolve) =>
    child.on("close", (status) => resolve({ status, out, err })),
  );
}

async function subscribeTwoFeeds() {
  const opml = join(dir, "feeds.opml");
  writeFileSync(
    opml,
    `<opml version="2.0"><body>
      <outline xmlUrl="${feeds.url("status-incidents.rss")}"/>
      <outline xmlUrl="${feeds.url("engineering-blog.atom")}"/>
    </body></opml>`,
  );
  expect((await cli(["import-opml", opml, "--channel", "C0OPS"])).status).toBe(0);
}

describe("help and version", () => {
  it("fits the main help in 80 columns and prints the version", async () => {
    const help = await cli(["--help"]);
    for (const line of help.out.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(help.out).toContain("opsfeed restore <file>");
    expect(help.out).toContain("opsfeed --version");
    const version = await bin(["--version"]);
    expect(version).toMatchObject({ status: 0, out: `${VERSION}\n` });
    const restoreHelp = await cli(["restore", "--help"]);
    expect(restoreHelp.out).toContain("usage: opsfeed restore <file> [--force]");
  });
});

describe("opsfeed poll", () => {
  it("prints each feed's line as soon as that feed is done", async () => {
    await subscribeTwoFeeds();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    feeds.set("/engineering-blog.atom", (_req, res) => {
      void held.then(() => res.writeHead(304).end());
    });
    const out: string[] = [];
    const progress: string[] = [];
    const running = runCli(["poll"], {
      env: { DATABASE_URL: database, OPSFEED_ALLOW_PRIVATE_NETWORKS: "true" },
      out: (line) => {
        out.push(line);
        // The status feed's line is out while the blog is still being fetched.
        if (line.includes("status-incidents.rss")) release();
      },
      err: () => {},
      progress: (text) => progress.push(text),
    });
    expect(await running).toBe(0);
    expect(out[0]).toContain("status-incidents.rss: not modified");
    expect(out[1]).toContain("engineering-blog.atom: not modified");
    expect(progress).toContain("polled 1 of 2 feeds, 0 failed");
  });

  // `script` (util-linux) gives the CLI a pseudo-terminal, as an operator's shell would.
  const hasScript = (() => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasScript)("shows a progress line on a terminal, then clears it", async () => {
    await subscribeTwoFeeds();
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(root, "bin/opsfeed.js"))} poll`;
    const terminal = await new Promise<string>((resolve) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: database,
          OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
        },
      });
      let seen = "";
      child.stdout.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
      });
      child.on("close", () => resolve(seen));
    });
    expect(terminal).toContain("\r\x1b[2Kpolled 2 of 2 feeds, 0 failed");
    expect(terminal).toContain("2 polled, 0 failed, 0 backing off");
  });

  it("writes no progress line when its output is not a terminal, and exits 1 on a failed feed", async () => {
    await subscribeTwoFeeds();
    feeds.set("/status-incidents.rss", (_req, res) => {
      res.writeHead(500).end();
    });
    const polled = await bin(["poll"], { OPSFEED_ALLOW_PRIVATE_NETWORKS: "true" });
    expect(polled.status).toBe(1);
    expect(polled.out).toContain("error: The feed server answered with HTTP 500");
    expect(polled.err).not.toMatch(/\r|polled \d+ of/);
  });
});

describe("verbs that read the database", () => {
  it.each([[["export-opml"]], [["digest", "--channel", "C0OPS", "--dry-run"]], [["poll"]]])(
    "%j never create a missing database: one line naming DATABASE_URL",
    async (args) => {
      const missing = join(dir, "typo", "opsfeed.sqlite");
      const result = await cli(args, { DATABASE_URL: missing });
      expect(result.status).toBe(1);
      expect(result.err).toBe(
        `opsfeed ${args[0]}: DATABASE_URL: no database at ${missing} (opsfeed migrate or npm start creates one)`,
      );
      expect(existsSync(join(dir, "typo"))).toBe(false);
    },
  );

  it("refuses a database that misses migrations instead of migrating it", async () => {
    openDatabase(database); // an empty SQLite file, as an older opsfeed never made
    const result = await cli(["export-opml"]);
    expect(result.status).toBe(1);
    const all = Object.keys(migrations).length;
    expect(result.err).toMatch(
      new RegExp(
        `^opsfeed export-opml: DATABASE_URL: the database at .* misses ${all} migration\\(s\\): run opsfeed migrate`,
      ),
    );
  });
});

describe("--channel", () => {
  it.each([["import-opml", "x.opml"], ["export-opml"], ["digest", "--dry-run"]])(
    "%s refuses a channel name, with a hint",
    async (...args) => {
      const result = await cli([...args, "--channel", "general"]);
      expect(result.status).toBe(2);
      expect(result.err).toBe(
        `${args[0]}: --channel expects a Slack channel id like C0123ABCD: "general" looks like a channel name; the id is at the bottom of the channel's details in Slack`,
      );
    },
  );
});

describe("opsfeed backup and restore", () => {
  it("backs up without overwriting, restores only a sound backup onto a closed database", async () => {
    await subscribeTwoFeeds();
    const copy = join(dir, "backup.sqlite");
    expect(await cli(["backup", copy])).toMatchObject({ status: 0 });
    const again = await cli(["backup", copy]);
    expect(again).toMatchObject({
      status: 1,
      err: `backup: ${copy} already exists; add --force to overwrite it`,
    });
    expect((await cli(["backup", copy, "--force"])).status).toBe(0);

    // A file that is not a database is refused before anything is touched.
    const junk = join(dir, "junk.sqlite");
    writeFileSync(junk, "not a database at all, just some text that is long enough");
    const bad = await cli(["restore", junk, "--force"]);
    expect(bad).toMatchObject({
      status: 1,
      err: `opsfeed restore: ${junk}: it is not a SQLite database`,
    });

    const exists = await cli(["restore", copy]);
    expect(exists.status).toBe(1);
    expect(exists.err).toContain("add --force to replace it");

    // While something (the app) holds the database open, it is not replaced.
    const holder = openDatabase(database);
    expect(await isDatabaseHealthy(holder)).toBe(true);
    const busy = await cli(["restore", copy, "--force"]);
    expect(busy).toMatchObject({
      status: 1,
      err: `opsfeed restore: DATABASE_URL: the database at ${database} is in use: stop opsfeed (and any opsfeed command) first`,
    });
    await holder.destroy();

    // Into an empty place, or with --force onto a closed database, the backup comes back.
    const fresh = join(dir, "restored", "opsfeed.sqlite");
    const restored = await cli(["restore", copy], { DATABASE_URL: fresh });
    expect(restored).toMatchObject({
      status: 0,
      out: `restored ${fresh} from ${copy} (integrity check passed)`,
    });
    const exported = await cli(["export-opml", "--channel", "C0OPS"], { DATABASE_URL: fresh });
    expect(exported.out).toContain(feeds.url("status-incidents.rss"));
    expect(await cli(["restore", copy, "--force"])).toMatchObject({ status: 0, err: "" });
  });
});

describe("start-up failures are one line naming the setting", () => {
  it.each([
    [
      "a file that is not a database",
      () => {
        const file = join(dir, "notes.txt");
        writeFileSync(file, "these are my notes, not a database");
        return { url: file, reason: "it is not a SQLite database" };
      },
    ],
    [
      "a folder",
      () => ({ url: dir, reason: "the file cannot be opened (a folder, or no permission)" }),
    ],
    [
      "a path through a file",
      () => {
        const file = join(dir, "plain");
        writeFileSync(file, "x");
        return { url: join(file, "opsfeed.sqlite"), reason: "a part of the path is not a folder" };
      },
    ],
  ])("npm start and opsfeed migrate with DATABASE_URL at %s", async (_what, make) => {
    const { url, reason } = make();
    const migrated = await cli(["migrate"], { DATABASE_URL: url });
    expect(migrated).toMatchObject({
      status: 1,
      err: `opsfeed migrate: DATABASE_URL: cannot open ${url}: ${reason}`,
    });
    const started = spawnOpsfeed(
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", DATABASE_URL: url, PORT: "0" },
      dir,
    );
    expect((await started.exited).code).toBe(1);
    expect(started.stderr()).toBe(`DATABASE_URL: cannot open ${url}: ${reason}\n`);
  });

  it("npm start against an unreachable Slack", async () => {
    fakeSlack = await startFakeSlack();
    const deadUrl = fakeSlack.apiUrl;
    await fakeSlack.close();
    fakeSlack = null;
    const started = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: deadUrl,
        DATABASE_URL: database,
        PORT: "0",
      },
      dir,
    );
    expect((await started.exited).code).toBe(1);
    const port = new URL(deadUrl).port;
    expect(started.stderr()).toBe(
      `SLACK_API_URL: could not reach Slack at ${deadUrl} at start-up (auth.test: connect ECONNREFUSED 127.0.0.1:${port}); check the network\n`,
    );
  });

  it("npm start on a port in use", async () => {
    fakeSlack = await startFakeSlack();
    const busyPort = new URL(fakeSlack.apiUrl).port;
    const started = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: fakeSlack.apiUrl,
        DATABASE_URL: database,
        PORT: busyPort,
      },
      dir,
    );
    expect((await started.exited).code).toBe(1);
    expect(started.stderr()).toBe(`PORT: ${busyPort} is already in use\n`);
  });
});
