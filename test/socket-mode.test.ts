import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSettings } from "../src/config/settings.js";
import { createLogger } from "../src/logger.js";
import { type RunningOpsfeed, startOpsfeed } from "../src/wiring.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FakeSocketMode, startFakeSocketMode } from "./support/fake-socket-mode.js";
import { textOf } from "./support/signed-requests.js";
import { freePort, startSocketModeOpsfeed } from "./support/socket-mode-app.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

let fakeSlack: FakeSlack;
let socket: FakeSocketMode | null = null;
let running: RunningOpsfeed | null = null;
let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await running?.stop();
  running = null;
  await socket?.close();
  socket = null;
  await fakeSlack?.close();
  await database.drop();
});

describe("Socket Mode", () => {
  it("connects through SLACK_API_URL, answers /opsfeed over the socket, and serves /healthz", async () => {
    fakeSlack = await startFakeSlack();
    const sockets = await startFakeSocketMode();
    socket = sockets;
    const started = await startSocketModeOpsfeed(fakeSlack, sockets, database.url);
    running = started.running;
    const port = started.port;
    // Socket Mode's own client asked the stand-in, not Slack, for its socket.
    expect(fakeSlack.callsTo("apps.connections.open")[0]?.token).toBe("xapp-socket");

    const helpCommand = (url: string) => ({
      token: "unused",
      team_id: "T1",
      team_domain: "test",
      channel_id: "C_OPS",
      channel_name: "ops",
      user_id: "UALICE",
      user_name: "alice",
      command: "/opsfeed",
      text: "help",
      api_app_id: "A_OPSFEED",
      is_enterprise_install: "false",
      response_url: url,
      trigger_id: "1.2.3",
    });
    const responseUrl = fakeSlack.newResponseUrl();
    const ack = await sockets.send("slash_commands", helpCommand(responseUrl.url));
    expect(ack.envelope_id).toEqual(expect.any(String));
    const reply = await fakeSlack.waitForResponse(responseUrl.id);
    expect(textOf(reply.body)).toContain("/opsfeed subscribe");
    // Alice's language is known now: the help comes in the socket's ack, as a message object.
    const again = await sockets.send("slash_commands", helpCommand(fakeSlack.newResponseUrl().url));
    expect(again.payload).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(again.payload as Record<string, unknown>)).toContain("/opsfeed subscribe");

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });

  it("refuses to start, naming SLACK_APP_TOKEN, when Slack rejects the app-level token", async () => {
    fakeSlack = await startFakeSlack();
    const result = readSettings({
      SLACK_BOT_TOKEN: "xoxb-socket",
      SLACK_APP_TOKEN: "xapp-revoked",
      SLACK_API_URL: fakeSlack.apiUrl,
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
    });
    if (!result.ok) throw new Error(result.problems.join("\n"));
    await expect(
      startOpsfeed(result.settings, createLogger("error"), { startJobs: false }),
    ).rejects.toThrow(
      "SLACK_APP_TOKEN: Slack rejected the token at start-up (apps.connections.open: invalid_auth)",
    );
  });
});
