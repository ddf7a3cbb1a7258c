// Runs the vitest suite again on Postgres (`npm test` does, after the SQLite run): in a fresh
// database made for this run and dropped afterwards, also when the suite fails. Without a
// reachable Postgres it says so in one line and exits 0, so the suite still runs anywhere.
// Arguments are passed on to vitest (`npm run test:postgres -- test/digest.test.ts`).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";

const serverUrl =
  process.env.OPSFEED_TEST_POSTGRES_URL?.trim() || "postgres://root@127.0.0.1:5432/postgres";
const database = `opsfeed_test_${Date.now()}_${process.pid}`;
const vitest = fileURLToPath(new URL("../node_modules/.bin/vitest", import.meta.url));

/** The URL without its password, for printing. */
function printable(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A connected client on the server's maintenance database, or the reason there is none. */
async function connect() {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return { client };
  } catch (error) {
    await client.end().catch(() => {});
    // Socket errors have a word for a code (ECONNREFUSED); Postgres's own are SQLSTATEs.
    const code = /^E[A-Z]+$/.test(String(error.code)) ? error.code : error.message;
    return { reason: code };
  }
}

/** Runs one statement on the server's maintenance database. */
async function onServer(statement) {
  const { client, reason } = await connect();
  if (!client) throw new Error(`cannot connect to ${printable(serverUrl)} (${reason})`);
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs vitest with the run's database and resolves with its exit code. */
function runVitest(databaseUrl) {
  return new Promise((resolve) => {
    const child = spawn(vitest, ["run", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, OPSFEED_TEST_DATABASE_URL: databaseUrl },
    });
    // Ctrl-C reaches vitest too; this process waits for it to stop, then drops the database.
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const probe = await connect();
if (!probe.client) {
  console.log(`Postgres run skipped: cannot connect to ${printable(serverUrl)} (${probe.reason})`);
  process.exit(0);
}
await probe.client.end();

await onServer(`create database ${database}`);
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${database}`;
console.log(`Postgres run: the test suite on ${printable(databaseUrl.toString())}`);
let status = 1;
try {
  status = await runVitest(databaseUrl.toString());
} finally {
  // FORCE: a connection a failed test left open must not keep the database alive.
  await onServer(`drop database if exists ${database} with (force)`).catch((error) => {
    console.error(`Postgres run: could not drop database ${database}: ${error.message}`);
  });
}
process.exit(status);
