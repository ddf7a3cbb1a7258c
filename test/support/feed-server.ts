import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The shared feed fixtures, beside the repository (`../shared/fixtures/feeds`). */
export const FIXTURES_DIR = new URL("../../../shared/fixtures/feeds/", import.meta.url);

/** Reads a fixture by file name. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES_DIR));
}

const CONTENT_TYPES: Record<string, string> = {
  rdf: "application/rdf+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  xml: "application/xml; charset=utf-8",
  opml: "text/x-opml; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** A request the feed server received. */
export interface FeedRequest {
  path: string;
  headers: IncomingMessage["headers"];
}

/** A route's answer: a body (served with an ETag, honouring If-None-Match) or a custom handler. */
export type FeedRoute =
  | { body: string | Buffer; contentType?: string; etag?: string }
  | ((req: IncomingMessage, res: ServerResponse) => void);

/** A loopback HTTP server serving the fixtures at `/<file name>` and routes tests set. */
export interface FeedServer {
  url(path: string): string;
  set(path: string, route: FeedRoute): void;
  requests: FeedRequest[];
  close(): Promise<void>;
}

/** Starts a feed server on an ephemeral loopback port. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>();
  const requests: FeedRequest[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push({ path, headers: req.headers });
    let route = routes.get(path);
    if (!route) {
      try {
        const name = path.slice(1);
        const extension = name.split(".").pop() ?? "";
        route = { body: fixture(name), contentType: CONTENT_TYPES[extension] ?? "application/xml" };
      } catch {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
    }
    if (typeof route === "function") {
      route(req, res);
      return;
    }
    const etag = route.etag ?? `"${Buffer.byteLength(route.body)}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, { "content-type": route.contentType ?? "application/xml", etag })
      .end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path.startsWith("/") ? path : `/${path}`}`,
    set: (path, route) => routes.set(path, route),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
