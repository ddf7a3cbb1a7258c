/**
 * A parse worker that dies on demand: a body containing `<!-- crash -->` ends the thread at
 * once (as a native crash or a fatal error would); anything else is parsed by the real worker.
 */
import { parentPort } from "node:worker_threads";

parentPort?.on("message", (request: { body?: string | Uint8Array }) => {
  // The pool's go-ahead for a next slice carries no body.
  if (request.body === undefined) return;
  const text =
    typeof request.body === "string" ? request.body : Buffer.from(request.body).toString();
  if (text.includes("<!-- crash -->")) process.exit(3);
});
// Imported after the listener above, so a crash comes before the real worker's answer.
await import("../../src/feeds/parse-worker.js");
