/**
 * Feed parsing off the main thread: a small pool of worker threads running `parseFeed`, so a
 * 40,000-item feed never holds up Slack's acks or `/healthz`, and a poll of many feeds parses on
 * another core while the main thread stores. A lone small feed is parsed inline, where starting
 * a worker or the round trip to one would cost more than the parse. A worker that crashes or
 * takes too long fails the feed it was parsing (`feed.malformed`) and is replaced; nothing
 * else notices.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import { parseFeed } from "./parse-feed.js";
import type { NextSlice, ParseReply, ParseRequest } from "./parse-worker-protocol.js";
import { nextTurn } from "./turns.js";
import type { ParsedFeed, ParsedItem } from "./types.js";

/** Parses a fetched feed body: `parseFeed`'s contract, asynchronously. */
export type FeedParser = (
  body: string | Uint8Array,
  feedUrl: string,
  contentType: string | null,
) => Promise<ParsedFeed>;

/** Bodies below this many bytes may be parsed inline (measured: see the README's #16 table). */
export const INLINE_PARSE_MAX_BYTES = 64 * 1024;

/**
 * With this many feeds already being parsed, a worker is started and small feeds go to it too
 * once it is ready: a poll of many feeds keeps the workers busy (measured: a 1,000-feed pass
 * 20-25% shorter than parsing them inline), while a subscription or a poll of a few feeds
 * never starts one.
 */
export const BUSY_PARSES = 2;

/** How long one feed may take in a worker before it is given up on. */
export const PARSE_TIMEOUT_MS = 30_000;

/** How the pool is sized and bounded. */
export interface ParsePoolOptions {
  /** worker threads (OPSFEED_PARSE_WORKERS); 0 parses everything inline */
  workers: number;
  inlineMaxBytes?: number;
  /** feeds being parsed from which the next one goes to a worker whatever its size */
  busyParses?: number;
  timeoutMs?: number;
  /** the worker's script (default: parse-worker.ts beside this file, .js once built) */
  entry?: URL;
}

/** A parser backed by worker threads, and how to stop them. */
export interface ParsePool {
  parse: FeedParser;
  /** terminates the workers; feeds still being parsed fail */
  close(): Promise<void>;
}

/** Parses inline, on the calling thread, in a turn of the event loop of its own (`nextTurn`). */
export const parseInline: FeedParser = async (body, feedUrl, contentType) => {
  await nextTurn();
  return parseFeed(body, feedUrl, contentType);
};

interface Job {
  request: ParseRequest;
  items: ParsedItem[];
  /** the worker answered (so it has parsed the body): a crash now is not this feed's fault */
  answered: boolean;
  resolve: (feed: ParsedFeed) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** the feeds sent to this worker and not settled yet, in the order they were sent */
  jobs: Map<number, Job>;
  /** the deadline of the feed the worker is parsing now (its oldest unanswered one) */
  timer: NodeJS.Timeout | null;
  /** the feed `timer` is the deadline of */
  timed: Job | null;
}

/**
 * Feeds sent to one worker before the first comes back: the worker starts on the next as soon
 * as it has sent one back, instead of waiting for the main thread (busy storing) to read the
 * answer and send another. Measured on the ingest benchmark: a pass 10-15% shorter than one
 * feed at a time.
 */
const FEEDS_IN_FLIGHT_PER_WORKER = 3;

/**
 * Starts a worker on the built .js in dist/, or on the .ts source under tsx and vitest: there a
 * worker thread has no TypeScript loader of its own (Node 20 does not pass `--import` hooks to
 * workers), so a bootstrap registers tsx's loader first.
 */
function spawnWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry);
  // tsx's ESM API as an import resolves it (the require condition names its .cjs twin).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
    /\.cjs$/,
    ".mjs",
  );
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

function brokenFeed(reason: string): AppError {
  return new AppError("feed.malformed", { reason });
}

/** Starts a pool of `options.workers` parse workers (started when first needed). */
export function createParsePool(options: ParsePoolOptions): ParsePool {
  const inlineMaxBytes = options.inlineMaxBytes ?? INLINE_PARSE_MAX_BYTES;
  const busyParses = options.busyParses ?? BUSY_PARSES;
  // Feeds handed to `parse` and not returned yet, inline or in a worker.
  let parsing = 0;
  const timeoutMs = options.timeoutMs ?? PARSE_TIMEOUT_MS;
  const entry =
    options.entry ??
    new URL(
      import.meta.url.endsWith(".ts") ? "./parse-worker.ts" : "./parse-worker.js",
      import.meta.url,
    );
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  /** Takes a feed off its worker, and re-arms the worker's deadline for the next one. */
  const settle = (slot: Slot, job: Job) => {
    slot.jobs.delete(job.request.id);
    armDeadline(slot);
    // An idle worker does not keep the process alive.
    if (slot.jobs.size === 0) slot.worker.unref();
  };

  /** The worker parses its feeds in the order sent: the oldest unanswered one has the clock. */
  const armDeadline = (slot: Slot) => {
    const current = [...slot.jobs.values()].find((job) => !job.answered);
    // The same feed keeps the deadline it had: another one's answer does not extend it.
    if (current !== undefined && current === slot.timed) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.timed = current ?? null;
    if (!current) return;
    slot.timer = setTimeout(() => {
      const reason = `parsing took longer than ${timeoutMs / 1000} s`;
      retire(slot, reason, current);
    }, timeoutMs);
  };

  const dispatch = () => {
    for (const slot of slots) {
      while (slot.ready && slot.jobs.size < FEEDS_IN_FLIGHT_PER_WORKER) {
        const job = queue.shift();
        if (!job) return;
        slot.jobs.set(job.request.id, job);
        slot.worker.ref();
        slot.worker.postMessage(job.request);
        armDeadline(slot);
      }
    }
    while (!closed && queue.length > 0 && slots.length < options.workers) startSlot();
    // Feeds waiting for a worker that is still loading keep the process alive meanwhile.
    if (queue.length > 0) for (const slot of slots) if (!slot.ready) slot.worker.ref();
  };

  /**
   * Replaces a worker that crashed or took too long: `culprit` (the feed it was parsing, if
   * known) fails; its other feeds are parsed again by the next worker, from the start.
   */
  const retire = (slot: Slot, problem: string, culprit: Job | undefined) => {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    void slot.worker.terminate();
    const others = [...slot.jobs.values()].filter((job) => job !== culprit);
    slot.jobs.clear();
    culprit?.reject(brokenFeed(problem));
    for (const job of others) job.items = [];
    queue.unshift(...others);
    // A worker that cannot even load would be replaced for ever: the waiting feeds fail now,
    // and the next feed tries a new worker.
    if (!slot.ready) for (const job of queue.splice(0)) job.reject(brokenFeed(problem));
    dispatch();
  };

  const startSlot = () => {
    const slot: Slot = {
      worker: spawnWorker(entry),
      ready: false,
      jobs: new Map(),
      timer: null,
      timed: null,
    };
    slots.push(slot);
    // Started ahead of need, an idle worker must not keep the process from exiting.
    if (queue.length === 0) slot.worker.unref();
    slot.worker.on("message", (reply: ParseReply) => {
      if (reply.kind === "ready") {
        slot.ready = true;
        dispatch();
        return;
      }
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      if (!job.answered) {
        job.answered = true;
        armDeadline(slot);
      }
      if (reply.kind === "items") {
        for (const item of reply.items) job.items.push(item);
        // The next slice in a later turn, so Slack's requests are read in between.
        setImmediate(() => {
          if (slot.jobs.get(reply.id) === job)
            slot.worker.postMessage({ id: reply.id, kind: "next" } satisfies NextSlice);
        });
        return;
      }
      settle(slot, job);
      if (reply.kind === "done") job.resolve({ ...reply.feed, items: job.items });
      else if (reply.kind === "error") job.reject(new AppError(reply.code, reply.params));
      else job.reject(new Error(reply.message));
      dispatch();
    });
    // The feed being parsed when the worker died is the oldest one it had not answered.
    const culprit = () => [...slot.jobs.values()].find((job) => !job.answered);
    slot.worker.on("error", (error) => {
      if (slots.includes(slot)) retire(slot, `the parser stopped: ${error.message}`, culprit());
    });
    slot.worker.on("exit", () => {
      if (slots.includes(slot)) retire(slot, "the parser stopped", culprit());
    });
  };

  /**
   * A large feed waits for a worker; a small one goes to a worker that is ready (a poll of many
   * feeds started one), and while two others are being parsed it starts one but is parsed
   * inline meanwhile (a worker takes a few hundred ms to load).
   */
  const goesToWorker = (bytes: number): boolean => {
    if (bytes >= inlineMaxBytes) return true;
    if (slots.some((slot) => slot.ready)) return true;
    if (parsing >= busyParses && slots.length < options.workers) startSlot();
    return false;
  };

  return {
    async parse(body, feedUrl, contentType) {
      const bytes = typeof body === "string" ? body.length : body.byteLength;
      const inline = options.workers <= 0 || closed || !goesToWorker(bytes);
      parsing++;
      try {
        if (inline) return await parseInline(body, feedUrl, contentType);
        return await new Promise<ParsedFeed>((resolve, reject) => {
          queue.push({
            request: { id: nextId++, body, feedUrl, contentType },
            items: [],
            answered: false,
            resolve,
            reject,
          });
          dispatch();
        });
      } finally {
        parsing--;
      }
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(brokenFeed("opsfeed is stopping"));
      await Promise.all(
        slots.splice(0).map(async (slot) => {
          if (slot.timer) clearTimeout(slot.timer);
          for (const job of slot.jobs.values()) job.reject(brokenFeed("opsfeed is stopping"));
          slot.jobs.clear();
          await slot.worker.terminate();
        }),
      );
    },
  };
}
