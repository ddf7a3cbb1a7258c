/**
 * The parse worker's thread: receives feed bodies from `parse-worker-pool.ts`, parses them with
 * `parseFeed`, and sends the feed back with its items in slices, one at a time as the pool asks
 * for the next, so the main thread takes each slice as a short task of its own.
 */
import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors.js";
import { parseFeed } from "./parse-feed.js";
import type { NextSlice, ParseReply, ParseRequest } from "./parse-worker-protocol.js";

/** Items per message back to the main thread (about 0.2-1 ms of cloning each). */
const ITEMS_PER_MESSAGE = 1000;

const port = parentPort;
if (port === null) throw new Error("parse-worker.ts runs as a worker thread only");

/** What a request still has to send: its remaining slices, then its done. */
const pending = new Map<number, ParseReply[]>();

const sendNext = (id: number) => {
  const replies = pending.get(id);
  const next = replies?.shift();
  if (!next) return;
  if (replies?.length === 0) pending.delete(id);
  port.postMessage(next);
};

port.on("message", (message: ParseRequest | NextSlice) => {
  if ("kind" in message) {
    sendNext(message.id);
    return;
  }
  const request = message;
  try {
    const { items, ...feed } = parseFeed(request.body, request.feedUrl, request.contentType);
    const replies: ParseReply[] = [];
    for (let start = 0; start < items.length; start += ITEMS_PER_MESSAGE) {
      replies.push({
        id: request.id,
        kind: "items",
        items: items.slice(start, start + ITEMS_PER_MESSAGE),
      });
    }
    replies.push({ id: request.id, kind: "done", feed: { ...feed, items: [] } });
    pending.set(request.id, replies);
    // The first slice goes at once; each next one when the pool asks for it.
    sendNext(request.id);
  } catch (error) {
    // AppErrors cross the thread as their code and params, so the user reads the same words.
    if (isAppError(error))
      port.postMessage({
        id: request.id,
        kind: "error",
        code: error.code,
        params: error.params,
      } satisfies ParseReply);
    else
      port.postMessage({
        id: request.id,
        kind: "failed",
        message: error instanceof Error ? error.message : String(error),
      } satisfies ParseReply);
  }
});
port.postMessage({ kind: "ready" } satisfies ParseReply);
