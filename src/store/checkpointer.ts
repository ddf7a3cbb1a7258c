import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { type Db, sqliteFileOf } from "./database.js";

/** How often the checkpointer copies what the WAL holds back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * Passive checkpoints run back to back, at most this many, until one has copied every frame
 * the WAL holds (each round copies only what was committed during the one before).
 */
const CATCH_UP_ROUNDS = 20;

/**
 * From this many frames in the WAL (SQLite's own checkpoint threshold), a caught-up checkpoint
 * also starts the WAL over. A passive checkpoint never does, and SQLite's writer does only in
 * a transaction that began with every frame copied, which during a poll committing every few
 * ms never happened: the WAL grew without end (460 MB beside an 86 MB database after 3,000
 * feeds, and every page read searched all of it).
 */
const RESTART_FRAMES = 1000;

/** A running checkpointer: stopping it checkpoints once more and gives the file back. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/*
 * The worker's code, plain CommonJS (an eval'd worker has no TypeScript loader). It opens the
 * file on a connection of its own and runs PASSIVE checkpoints, which never wait for and never
 * block the app's readers or its writer; once caught up on a large WAL, a RESTART checkpoint,
 * which (with no busy timeout) takes the write lock only if the app is not writing, copies the
 * few frames left and starts the WAL over. The app's next transaction may wait for it: about a
 * millisecond, once a second at most, during a long poll.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
// Checkpoints copy frames from the WAL into the file: no page cache or memory map to speak of.
db.pragma("cache_size = -1024");
const checkpoint = () => {
  try {
    let frames = 0;
    for (let round = 0; round < workerData.maxRounds; round++) {
      const [result] = db.pragma("wal_checkpoint(PASSIVE)");
      frames = result ? result.log : 0;
      if (!result || result.busy !== 0 || result.log === result.checkpointed) break;
    }
    // Only when the app's writer is between transactions (else it is a passive one), taking
    // the write lock for the few frames left, then starting the WAL over.
    if (frames >= workerData.restartFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage("stopped");
});
parentPort.postMessage("ready");
`;

/**
 * SQLite file only (else null): moves WAL checkpoints off the event loop. SQLite checkpoints
 * in the connection whose commit grew the WAL past 1,000 pages, on the committing thread:
 * after a 40,000-item feed that was 65 of the commit's 95 ms with nothing else answered. Here
 * the app's connection never checkpoints itself (`wal_autocheckpoint = 0`) and a worker thread
 * does it every CHECKPOINT_INTERVAL_MS. The CLI and tests keep SQLite's own checkpoints.
 */
export async function startCheckpointer(
  db: Db,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Promise<Checkpointer | null> {
  const file = sqliteFileOf(db);
  if (!file || file.path === ":memory:") return null;
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver,
      path: file.path,
      intervalMs,
      maxRounds: CATCH_UP_ROUNDS,
      restartFrames: RESTART_FRAMES,
    },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  // Only once the worker runs: a database is never left without anyone checkpointing it.
  file.sqlite.pragma("wal_autocheckpoint = 0");
  let failed = false;
  worker.on("error", () => {
    // A checkpointer that died hands checkpoints back to the app's own connection.
    failed = true;
    if (file.sqlite.open) file.sqlite.pragma("wal_autocheckpoint = 1000");
  });
  return {
    async stop() {
      if (file.sqlite.open) file.sqlite.pragma("wal_autocheckpoint = 1000");
      if (failed) return;
      const stopped = new Promise<void>((resolve) => {
        worker.once("message", () => resolve());
        worker.once("exit", () => resolve());
      });
      worker.postMessage("stop");
      await stopped;
      await worker.terminate();
    },
  };
}
