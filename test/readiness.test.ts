import { afterEach, describe, expect, it } from "vitest";
import type { RunningOpsfeed } from "../src/wiring.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FakeSocketMode, startFakeSocketMode } from "./support/fake-socket-mode.js";
import { sampleOf, scrape } from "./support/metrics-text.js";
import { startSocketModeOpsfeed } from "./support/socket-mode-app.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp | null = null;
let running: RunningOpsfeed | null = null;
let sockets: FakeSocketMode | null = null;
let fakeSlack: FakeSlack | null = null;

afterEach(async () => {
  await app?.stop();
  app = null;
  await running?.stop();
  running = null;
  await sockets?.close();
  sockets = null;
  await fakeSlack?.close();
  fakeSlack = null;
});

async function readyz(base: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Asks /readyz until it answers `status` (the test's timeout bounds the wait). */
async function untilReadyz(base: string, status: number) {
  for (;;) {
    const answer = await readyz(base);
    if (answer.status === status) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("GET /readyz in HTTP mode", () => {
  it("is 200 once auth.test passed and the database answers, 503 with the reason when it does not", async () => {
    app = await startTestApp();
    expect(await readyz(app.url)).toEqual({
      status: 200,
      body: { status: "ready", version: expect.any(String) },
    });
    // The database going away makes the app unready, and not healthy either.
    await app.db.destroy();
    const answer = await readyz(app.url);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      status: "unavailable",
      reason: "the database does not answer",
    });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(503);
  });
});

describe("GET /healthz while the database is busy", () => {
  it("answers while a long write transaction holds the app's own connection, and 503 once the database is gone", async () => {
    app = await startTestApp();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    // As a 40,000-item feed being stored holds it: the transaction has written and waits.
    const holding = app.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("feeds")
        .values({
          url: "https://busy.example/feed",
          title: "Busy",
          created_at: "2026-11-24T00:00:00.000Z",
        })
        .execute();
      entered();
      await released;
    });
    await inside;
    try {
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", version: expect.any(String) });
    } finally {
      release();
      await holding;
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await app.db.destroy();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(503);
  });
});

describe("GET /readyz in Socket Mode", () => {
  it("follows the socket: ready when open, 503 naming the connection when dropped, ready again once reconnected", async () => {
    fakeSlack = await startFakeSlack();
    sockets = await startFakeSocketMode();
    const started = await startSocketModeOpsfeed(fakeSlack, sockets);
    running = started.running;
    const base = `http://127.0.0.1:${started.port}`;
    expect((await untilReadyz(base, 200)).body.status).toBe("ready");
    expect(sampleOf(await scrape(base), "opsfeed_slack_connected")).toBe(1);

    sockets.drop();
    const dropped = await untilReadyz(base, 503);
    expect(dropped.body.reason).toBe("Slack: the Socket Mode connection is closed; reconnecting");
    expect(sampleOf(await scrape(base), "opsfeed_slack_connected")).toBe(0);
    // Liveness is about the process and its database, not Slack.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // The client reconnects on its own (asking apps.connections.open again).
    await sockets.connections(2);
    expect((await untilReadyz(base, 200)).body.status).toBe("ready");
    expect(fakeSlack.callsTo("apps.connections.open").length).toBeGreaterThanOrEqual(2);
  });
});
