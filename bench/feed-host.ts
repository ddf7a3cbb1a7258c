/**
 * The benchmarks' feed servers, in a process of their own so that serving costs the measured
 * process nothing: `HOSTS` loopback ports (each port is a host to the poller), serving
 * `/feed/<i>.xml` (bench/feed-bodies.ts, followed by a comment naming the round) with an ETag
 * that changes with the round (`POST /round` on any port starts the next one: the same items in
 * other bytes) or alone (`POST /etag`: the same bytes under a new ETag), and a 304 to a
 * matching If-None-Match.
 * Prints `ports <p1,p2,…>` once listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { benchFeedBody } from "./feed-bodies.js";

const hosts = Number(process.env.HOSTS ?? "20");
const bodies = new Map<number, Buffer>();
let round = 1;
let etags = 1;

const handler = (
  req: import("node:http").IncomingMessage,
  res: import("node:http").ServerResponse,
) => {
  if (req.method === "POST" && req.url === "/round") {
    round++;
    bodies.clear();
    res.writeHead(200).end(String(round));
    return;
  }
  if (req.method === "POST" && req.url === "/etag") {
    etags++;
    res.writeHead(200).end(String(etags));
    return;
  }
  const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? "");
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const feed = Number(match[1]);
  const etag = `"r${round}-e${etags}-${feed}"`;
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  let body = bodies.get(feed);
  if (!body) {
    body = Buffer.from(`${benchFeedBody(feed)}\n<!-- round ${round} -->\n`);
    bodies.set(feed, body);
  }
  res.writeHead(200, { "content-type": "application/xml; charset=utf-8", etag }).end(body);
};

const ports: number[] = [];
for (let i = 0; i < hosts; i++) {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  ports.push((server.address() as AddressInfo).port);
}
console.log(`ports ${ports.join(",")}`);
