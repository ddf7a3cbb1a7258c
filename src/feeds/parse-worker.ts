/**
 * The parse worker's thread: receives feed bodies from `parse-worker-pool.ts`, parses them with
 * `parseFeed`, and sends the feed back with its items in slices, so the main thread takes each
 * slice off the channel as a short task of its own instead of one long structured-clone.
 */
import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors.js";
import { parseFeed } from "./parse-feed.js";
import type { ParseReply, ParseRequest } from "./parse-worker-protocol.js";

/** Items per message back to the main thread (about 0.2-1 ms of cloning each). */
const ITEMS_PER_MESSAGE = 1000;

const port = parentPort;
if (port === null) throw new Error("parse-worker.ts runs as a worker thread only");

port.on("message", (request: ParseRequest) => {
  const reply = (message: ParseReply) => port.postMessage(message);
  try {
    const { items, ...feed } = parseFeed(request.body, request.feedUrl, request.contentType);
    for (let start = 0; start < items.length; start += ITEMS_PER_MESSAGE) {
      reply({
        id: request.id,
        kind: "items",
        items: items.slice(start, start + ITEMS_PER_MESSAGE),
      });
    }
    reply({ id: request.id, kind: "done", feed: { ...feed, items: [] } });
  } catch (error) {
    // AppErrors cross the thread as their code and params, so the user reads the same words.
    if (isAppError(error))
      reply({ id: request.id, kind: "error", code: error.code, params: error.params });
    else
      reply({
        id: request.id,
        kind: "failed",
        message: error instanceof Error ? error.message : String(error),
      });
  }
});
port.postMessage({ kind: "ready" } satisfies ParseReply);
