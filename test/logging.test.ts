import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { spawnOpsfeed } from "./support/process.js";
import { createSlackRequester } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp | null = null;
let fakeSlack: FakeSlack | null = null;

afterEach(async () => {
  await app?.stop();
  app = null;
  await fakeSlack?.close();
  fakeSlack = null;
});

describe("log lines", () => {
  it("are one readable line per event by default, with the ids and no undefined fields", async () => {
    app = await startTestApp();
    await app.ask("help", { userId: "UALICE", channelId: "C_OPS" });
    await app.ask("frobnicate", { userId: "UALICE", channelId: "C_OPS" });
    const commands = app.logs.filter((line) => line.includes(" slash command "));
    expect(commands[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO slash command user=UALICE channel=C_OPS subcommand=help$/,
    );
    expect(commands[1]).toMatch(/subcommand=invalid error=unknown-subcommand$/);
    expect(app.logs.filter((line) => line.includes("=undefined"))).toEqual([]);
  });

  it("are one JSON object per line with LOG_FORMAT=json, Bolt's own lines included", async () => {
    app = await startTestApp({ env: { LOG_FORMAT: "json" } });
    await app.ask("help", { userId: "UALICE", channelId: "C_OPS" });
    const entries = app.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((entry) => entry.msg === "slash command")).toEqual({
      level: "info",
      time: expect.stringMatching(/Z$/),
      user: "UALICE",
      channel: "C_OPS",
      subcommand: "help",
      msg: "slash command",
    });
    // The Slack SDK's debug lines (its Web API calls) come through the same logger.
    expect(entries.some((entry) => entry.source === "slack" && entry.level === "debug")).toBe(true);
  });

  it("redact tokens, the signing secret, Authorization headers and passwords in URLs", () => {
    for (const format of ["text", "json"] as const) {
      const lines: string[] = [];
      const logger = createLogger("debug", {}, (_level, line) => lines.push(line), {
        format,
        secrets: ["signing-secret-0123456789"],
      });
      logger.error(
        "call failed",
        { url: "https://ops:hunter2@proxy.internal:3128/", headers: { authorization: "x" } },
        new Error("token xoxb-1234-5678-abcdef rejected; app token xapp-1-A0-123-abc"),
      );
      logger.warn(
        "header was Authorization: Bearer xoxp-9-9-9 and secret signing-secret-0123456789",
      );
      const text = lines.join("\n");
      for (const secret of ["hunter2", "1234-5678", "A0-123", "xoxp-9", "signing-secret-0123"]) {
        expect(text, `${format}: ${secret}`).not.toContain(secret);
      }
      expect(text).toContain("https://ops:[REDACTED]@proxy.internal:3128/");
      expect(text).toContain("xoxb-[REDACTED]");
      if (format === "json") for (const line of lines) JSON.parse(line);
    }
  });

  it("redact secret fields by name, in a line, an object it holds and its headers, and a child's", () => {
    for (const format of ["text", "json"] as const) {
      const lines: string[] = [];
      const logger = createLogger("info", {}, (_level, line) => lines.push(line), { format });
      logger.child({ token: "child-token-value" }).warn("request failed", {
        password: "top-password-value",
        headers: { authorization: "top-authorization-value" },
        request: {
          signingSecret: "nested-secret-value",
          headers: { Authorization: "nested-authorization-value" },
        },
        channel: "C_OPS",
      });
      const text = lines.join("\n");
      for (const secret of [
        "child-token",
        "top-password",
        "top-authorization",
        "nested-secret",
        "nested-authorization",
      ]) {
        expect(text, `${format}: ${secret}`).not.toContain(secret);
      }
      expect(text).toContain("C_OPS");
      expect(text.split("[REDACTED]")).toHaveLength(6);
    }
  });

  it("of a real process at debug level never show the tokens or the signing secret", async () => {
    fakeSlack = await startFakeSlack();
    const secret = "process-signing-secret-5f2a9c";
    const opsfeed = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-4242-secret-bot-token",
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: fakeSlack.apiUrl,
        PORT: "0",
        LOG_LEVEL: "debug",
        LOG_FORMAT: "json",
      },
      mkdtempSync(join(tmpdir(), "opsfeed-logs-")),
    );
    const line = await opsfeed.waitForOutput(/opsfeed listening/);
    const port = (JSON.parse(line) as { port: number }).port;
    const slack = createSlackRequester({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: secret,
      fakeSlack,
    });
    await slack.replyTo(await slack.command("help"));
    opsfeed.child.kill("SIGTERM");
    expect((await opsfeed.exited).code).toBe(0);
    const output = `${opsfeed.stdout()}${opsfeed.stderr()}`;
    expect(output).toContain('"msg":"slash command"');
    expect(output).not.toContain("4242-secret-bot-token");
    expect(output).not.toContain(secret);
    for (const line of output.trim().split("\n")) JSON.parse(line);
  });
});
