/**
 * Feed parsing off the main thread: a small pool of worker threads running `parseFeed`, so a
 * 40,000-item feed never holds up Slack's acks or `/healthz`. Small bodies are parsed inline,
 * where a round trip to a worker would cost more than the parse. A worker that crashes or
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

/** Bodies below this many bytes are parsed inline (measured: see the README's #16 table). */
export const INLINE_PARSE_MAX_BYTES = 64 * 1024;

/** How long one feed may take in a worker before it is given up on. */
export const PARSE_TIMEOUT_MS = 30_000;

/** How the pool is sized and bounded. */
export interface ParsePoolOptions {
  /** worker threads (OPSFEED_PARSE_WORKERS); 0 parses everything inline */
  workers: number;
  inlineMaxBytes?: number;
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
  resolve: (feed: ParsedFeed) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

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

  const settle = (slot: Slot): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    // An idle worker does not keep the process alive.
    slot.worker.unref();
    return job;
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.job !== null) continue;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        const reason = `parsing took longer than ${timeoutMs / 1000} s`;
        settle(slot)?.reject(brokenFeed(reason));
        retire(slot, reason);
      }, timeoutMs);
      slot.worker.postMessage(job.request);
    }
    while (!closed && queue.length > slots.filter((slot) => slot.job === null).length) {
      if (slots.length >= options.workers) break;
      startSlot();
    }
  };

  const retire = (slot: Slot, problem: string) => {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    void slot.worker.terminate();
    // A worker that cannot even load would be replaced for ever: the waiting feeds fail now,
    // and the next feed tries a new worker.
    if (!slot.ready) for (const job of queue.splice(0)) job.reject(brokenFeed(problem));
    dispatch();
  };

  const startSlot = () => {
    const slot: Slot = {
      worker: spawnWorker(entry),
      ready: false,
      job: null,
      timer: null,
    };
    slots.push(slot);
    slot.worker.on("message", (reply: ParseReply) => {
      if (reply.kind === "ready") {
        slot.ready = true;
        dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      if (reply.kind === "items") {
        for (const item of reply.items) job.items.push(item);
        // The next slice in a later turn, so Slack's requests are read in between.
        setImmediate(() => {
          if (slot.job === job)
            slot.worker.postMessage({ id: reply.id, kind: "next" } satisfies NextSlice);
        });
        return;
      }
      settle(slot);
      if (reply.kind === "done") job.resolve({ ...reply.feed, items: job.items });
      else if (reply.kind === "error") job.reject(new AppError(reply.code, reply.params));
      else job.reject(new Error(reply.message));
      dispatch();
    });
    slot.worker.on("error", (error) => {
      const reason = `the parser stopped: ${error.message}`;
      settle(slot)?.reject(brokenFeed(reason));
      retire(slot, reason);
    });
    slot.worker.on("exit", () => {
      settle(slot)?.reject(brokenFeed("the parser stopped"));
      if (slots.includes(slot)) retire(slot, "the parser stopped");
    });
  };

  return {
    parse(body, feedUrl, contentType) {
      const bytes = typeof body === "string" ? body.length : body.byteLength;
      if (options.workers <= 0 || closed || bytes < inlineMaxBytes) {
        return parseInline(body, feedUrl, contentType);
      }
      return new Promise<ParsedFeed>((resolve, reject) => {
        queue.push({
          request: { id: nextId++, body, feedUrl, contentType },
          items: [],
          resolve,
          reject,
        });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(brokenFeed("opsfeed is stopping"));
      await Promise.all(
        slots.splice(0).map(async (slot) => {
          settle(slot)?.reject(brokenFeed("opsfeed is stopping"));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
