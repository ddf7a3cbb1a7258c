import { createServer } from "node:net";
import { readSettings } from "../../src/config/settings.js";
import { createLogger } from "../../src/logger.js";
import { type RunningOpsfeed, startOpsfeed } from "../../src/wiring.js";
import type { FakeSlack } from "./fake-slack.js";
import type { FakeSocketMode } from "./fake-socket-mode.js";

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the real app in Socket Mode against the stand-ins (jobs off), on `databaseUrl` (an
 * in-memory SQLite database by default), serving its HTTP routes on a free port; resolves
 * once it is connected.
 */
export async function startSocketModeOpsfeed(
  fakeSlack: FakeSlack,
  sockets: FakeSocketMode,
  databaseUrl = ":memory:",
): Promise<{ running: RunningOpsfeed; port: number }> {
  fakeSlack.setSocketModeUrl(sockets.url);
  const port = await freePort();
  const result = readSettings({
    SLACK_BOT_TOKEN: "xoxb-socket",
    SLACK_APP_TOKEN: "xapp-socket",
    SLACK_API_URL: fakeSlack.apiUrl,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  const running = await startOpsfeed(result.settings, createLogger("error"), { startJobs: false });
  await sockets.connected();
  return { running, port };
}
