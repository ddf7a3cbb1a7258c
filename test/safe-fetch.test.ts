import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../src/errors.js";
import { type SafeFetchOptions, safeFetch } from "../src/feeds/safe-fetch.js";
import { allMessageKeys, t } from "../src/i18n/catalog.js";

const USER_AGENT = "opsfeed/0.1.0 (+https://github.com/opsfeed)";
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface TestServer {
  port: number;
  /** Every request the server received, in order. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
}

const openServers: http.Server[] = [];

/** Starts an HTTP server on `host` (a loopback address), on `port` or an ephemeral one. */
async function listen(handler: Handler, host: string, port = 0): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url ?? "", headers: request.headers });
    handler(request, response);
  });
  openServers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, requests };
}

/**
 * One handler answering on both 127.0.0.1 and ::1 with the same port, so every loopback
 * spelling (127.1, [::1], [::ffff:127.0.0.1], localhost, ...) reaches it.
 */
async function loopbackServer(handler: Handler): Promise<TestServer> {
  const v4 = await listen(handler, "127.0.0.1");
  const v6 = await listen(handler, "::1", v4.port);
  // Both listeners push into the same list.
  const requests = v4.requests;
  const originalPush = v6.requests.push.bind(v6.requests);
  v6.requests.push = (...items) => {
    originalPush(...items);
    return requests.push(...items);
  };
  return { port: v4.port, requests };
}

function feedHandler(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { "Content-Type": "application/rss+xml" });
  response.end(FEED);
}

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { allowPrivateNetworks: false, userAgent: USER_AGENT, ...overrides };
}

/** The AppError `promise` rejects with (fails the test if it resolves or throws something else). */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected safeFetch to reject");
}

/** Hosts a test may connect to: loopback only, and the test names mapped to loopback. */
function isLoopbackTarget(host: string): boolean {
  return (
    /^127\./.test(host) ||
    ["::1", "::ffff:7f00:1", "0.0.0.0", "localhost", "feeds.example.test"].includes(host)
  );
}

// Every outgoing request is checked, so even a broken policy can never send traffic
// beyond loopback; the spies also show that refused URLs never got as far as connecting.
let requestSpy: ReturnType<typeof guard>;
let httpsRequestSpy: ReturnType<typeof guard>;

function guard(module: typeof http | typeof https) {
  const original = module.request;
  return vi.spyOn(module, "request").mockImplementation(((...args: unknown[]) => {
    const requestOptions = args[0] as http.RequestOptions;
    const host = String(requestOptions.host ?? requestOptions.hostname);
    if (!isLoopbackTarget(host)) throw new Error(`test tried to connect to ${host}`);
    return Reflect.apply(original, module, args);
  }) as typeof http.request);
}

beforeEach(() => {
  requestSpy = guard(http);
  httpsRequestSpy = guard(https);
});

afterEach(async () => {
  vi.restoreAllMocks();
  const servers = openServers.splice(0);
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

describe("address policy", () => {
  const loopbackUrls = [
    "http://127.0.0.1:PORT/feed.xml",
    "http://127.1:PORT/feed.xml",
    "http://2130706433:PORT/feed.xml",
    "http://0x7f.1:PORT/feed.xml",
    "http://0.0.0.0:PORT/feed.xml",
    "http://[::1]:PORT/feed.xml",
    "http://[::ffff:127.0.0.1]:PORT/feed.xml",
    "http://localhost:PORT/feed.xml",
  ];

  it.each(loopbackUrls)("refuses %s by default, before connecting", async (template) => {
    const server = await loopbackServer(feedHandler);
    const url = template.replace("PORT", String(server.port));

    const error = await appError(safeFetch(url, options()));

    expect(error.code).toBe("fetch.blocked-address");
    expect(server.requests).toHaveLength(0);
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it.each(loopbackUrls)("fetches %s with allowPrivateNetworks", async (template) => {
    const server = await loopbackServer(feedHandler);
    const url = template.replace("PORT", String(server.port));

    const result = await safeFetch(url, options({ allowPrivateNetworks: true }));

    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.body.toString()).toBe(FEED);
    expect(server.requests).toHaveLength(1);
    expect(requestSpy).toHaveBeenCalledTimes(1); // the guard sees real requests
  });

  it.each([
    ["http://10.0.0.1/feed.xml", "10.0.0.1"],
    ["http://172.16.0.1/feed.xml", "172.16.0.1"],
    ["http://192.168.1.1/feed.xml", "192.168.1.1"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://100.64.0.1/feed.xml", "100.64.0.1"],
    ["http://[fc00::1]/feed.xml", "fc00::1"],
    ["http://[fe80::1]/feed.xml", "fe80::1"],
  ])("refuses %s without trying to connect", async (url, address) => {
    // A generous timeout: had it tried to connect, the error would be timeout or network.
    const error = await appError(safeFetch(url, options({ timeoutMs: 60_000 })));

    expect(error.code).toBe("fetch.blocked-address");
    expect(error.params).toMatchObject({ address });
    expect(requestSpy).not.toHaveBeenCalled();
    expect(httpsRequestSpy).not.toHaveBeenCalled();
  });

  it("checks https URLs the same way", async () => {
    const error = await appError(safeFetch("https://127.0.0.1/feed.xml", options()));
    expect(error.code).toBe("fetch.blocked-address");
    expect(httpsRequestSpy).not.toHaveBeenCalled();
  });

  it("refuses a redirect from an allowed server to the metadata service", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" });
      response.end();
    });
    const onlyLocalhost = (ip: string) => ip === "127.0.0.1";

    const error = await appError(
      safeFetch(
        `http://127.0.0.1:${server.port}/feed.xml`,
        options({ isAllowedAddress: onlyLocalhost }),
      ),
    );

    expect(error.code).toBe("fetch.blocked-address");
    expect(error.params).toEqual({ host: "169.254.169.254", address: "169.254.169.254" });
    expect(server.requests).toHaveLength(1);
    expect(requestSpy).toHaveBeenCalledTimes(1);
  });

  it("refuses a redirect to another loopback address the policy does not allow", async () => {
    const target = await listen(feedHandler, "127.0.0.2");
    const server = await listen((_request, response) => {
      response.writeHead(301, { Location: `http://127.0.0.2:${target.port}/feed.xml` });
      response.end();
    }, "127.0.0.1");

    const error = await appError(
      safeFetch(
        `http://127.0.0.1:${server.port}/feed.xml`,
        options({ isAllowedAddress: (ip) => ip === "127.0.0.1" }),
      ),
    );

    expect(error.code).toBe("fetch.blocked-address");
    expect(error.params).toMatchObject({ address: "127.0.0.2" });
    expect(server.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });
});

describe("name resolution", () => {
  const toLoopback = async () => [{ address: "127.0.0.1", family: 4 as const }];

  it("refuses a name that resolves to loopback by default", async () => {
    const server = await loopbackServer(feedHandler);

    const error = await appError(
      safeFetch(
        `http://feeds.example.test:${server.port}/feed.xml`,
        options({ lookup: toLoopback }),
      ),
    );

    expect(error.code).toBe("fetch.blocked-address");
    expect(error.params).toEqual({ host: "feeds.example.test", address: "127.0.0.1" });
    expect(server.requests).toHaveLength(0);
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("fetches a name that resolves to loopback with allowPrivateNetworks, sending its Host", async () => {
    const server = await loopbackServer(feedHandler);

    const result = await safeFetch(
      `http://feeds.example.test:${server.port}/feed.xml`,
      options({ lookup: toLoopback, allowPrivateNetworks: true }),
    );

    expect(result.status).toBe("ok");
    expect(server.requests[0]?.headers.host).toBe(`feeds.example.test:${server.port}`);
  });

  it("refuses when any resolved address is blocked, even if the first is public", async () => {
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "127.0.0.1", family: 4 as const },
    ];

    const error = await appError(
      safeFetch("http://feeds.example.test/feed.xml", options({ lookup })),
    );

    expect(error.code).toBe("fetch.blocked-address");
    expect(error.params).toMatchObject({ address: "127.0.0.1" });
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("connects to the checked address without resolving the name again", async () => {
    const server = await loopbackServer(feedHandler);
    // A rebinding resolver: the first answer passes the check, later ones would not.
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: lookups === 1 ? "127.0.0.1" : "10.0.0.1", family: 4 as const }];
    };

    const result = await safeFetch(
      `http://feeds.example.test:${server.port}/feed.xml`,
      options({ lookup, isAllowedAddress: (ip) => ip === "127.0.0.1" }),
    );

    expect(result.status).toBe("ok");
    expect(lookups).toBe(1);
  });

  it("reports a name that does not resolve", async () => {
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };

    const error = await appError(safeFetch("http://nowhere.example.test/", options({ lookup })));

    expect(error.code).toBe("fetch.dns-failure");
    expect(error.params).toEqual({ host: "nowhere.example.test" });
  });

  it("reports a name with no addresses", async () => {
    const error = await appError(
      safeFetch("http://empty.example.test/", options({ lookup: async () => [] })),
    );
    expect(error.code).toBe("fetch.dns-failure");
  });
});

describe("URLs", () => {
  it.each([
    ["ftp://127.0.0.1/feed.xml", "ftp"],
    ["file:///etc/passwd", "file"],
    ["gopher://example.test/", "gopher"],
  ])("refuses %s", async (url, scheme) => {
    const error = await appError(safeFetch(url, options({ allowPrivateNetworks: true })));
    expect(error.code).toBe("fetch.unsupported-scheme");
    expect(error.params).toEqual({ scheme });
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("refuses text that is not a URL", async () => {
    const error = await appError(safeFetch("not a url", options()));
    expect(error.code).toBe("fetch.invalid-url");
  });

  it("refuses a redirect to a file: URL", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(302, { Location: "file:///etc/passwd" });
      response.end();
    });
    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/`, options({ allowPrivateNetworks: true })),
    );
    expect(error.code).toBe("fetch.unsupported-scheme");
  });
});

describe("redirects", () => {
  /** /hop/N redirects to /hop/N-1 with a different redirect status each time; /hop/0 is the feed. */
  async function chainServer(): Promise<TestServer> {
    const statuses = [301, 302, 303, 307, 308];
    return loopbackServer((request, response) => {
      const hop = Number(/^\/hop\/(\d+)$/.exec(request.url ?? "")?.[1] ?? 0);
      if (hop === 0) return feedHandler(request, response);
      response.writeHead(statuses[hop % statuses.length] ?? 302, { Location: `/hop/${hop - 1}` });
      response.end();
    });
  }
  const allowPrivate = options({ allowPrivateNetworks: true });

  it("follows a chain of 5 redirects and reports the final URL", async () => {
    const server = await chainServer();

    const result = await safeFetch(`http://127.0.0.1:${server.port}/hop/5`, allowPrivate);

    expect(result.status).toBe("ok");
    expect(result.url).toBe(`http://127.0.0.1:${server.port}/hop/0`);
    expect(server.requests).toHaveLength(6);
  });

  it("refuses a chain of 6 redirects", async () => {
    const server = await chainServer();

    const error = await appError(safeFetch(`http://127.0.0.1:${server.port}/hop/6`, allowPrivate));

    expect(error.code).toBe("fetch.too-many-redirects");
    expect(error.params).toEqual({ max: 5 });
    expect(server.requests).toHaveLength(6);
  });

  it("honours a smaller maxRedirects", async () => {
    const server = await chainServer();
    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/hop/2`, { ...allowPrivate, maxRedirects: 1 }),
    );
    expect(error.code).toBe("fetch.too-many-redirects");
  });

  it("resolves a relative Location against the current URL", async () => {
    const server = await loopbackServer((request, response) => {
      if (request.url === "/blog/feed") {
        response.writeHead(301, { Location: "../feeds/main.xml?format=rss" });
        return response.end();
      }
      feedHandler(request, response);
    });

    const result = await safeFetch(`http://127.0.0.1:${server.port}/blog/feed`, allowPrivate);

    expect(result.url).toBe(`http://127.0.0.1:${server.port}/feeds/main.xml?format=rss`);
    expect(server.requests.map((request) => request.url)).toEqual([
      "/blog/feed",
      "/feeds/main.xml?format=rss",
    ]);
  });
});

describe("conditional requests and headers", () => {
  const allowPrivate = options({ allowPrivateNetworks: true });

  it("returns not-modified on 304 after sending If-None-Match and If-Modified-Since", async () => {
    const server = await loopbackServer((request, response) => {
      const fresh = request.headers["if-none-match"] === '"v1"';
      response.writeHead(fresh ? 304 : 200);
      response.end(fresh ? undefined : FEED);
    });

    const result = await safeFetch(`http://127.0.0.1:${server.port}/feed.xml`, {
      ...allowPrivate,
      etag: '"v1"',
      lastModified: "Wed, 21 Oct 2015 07:28:00 GMT",
    });

    expect(result).toEqual({
      status: "not-modified",
      url: `http://127.0.0.1:${server.port}/feed.xml`,
      maxAgeSeconds: null,
    });
    expect(server.requests[0]?.headers["if-none-match"]).toBe('"v1"');
    expect(server.requests[0]?.headers["if-modified-since"]).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
  });

  it("sends no conditional headers when there are no validators", async () => {
    const server = await loopbackServer(feedHandler);
    await safeFetch(`http://127.0.0.1:${server.port}/feed.xml`, { ...allowPrivate, etag: null });
    expect(server.requests[0]?.headers["if-none-match"]).toBeUndefined();
    expect(server.requests[0]?.headers["if-modified-since"]).toBeUndefined();
  });

  it("returns the body, Content-Type, ETag, Last-Modified and Cache-Control's max-age", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, {
        "Content-Type": "application/atom+xml; charset=utf-8",
        ETag: 'W/"abc"',
        "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT",
        "Cache-Control": "public, s-maxage=60, max-age=300",
      });
      response.end(FEED);
    });

    const result = await safeFetch(`http://127.0.0.1:${server.port}/feed.xml`, allowPrivate);

    expect(result).toEqual({
      status: "ok",
      url: `http://127.0.0.1:${server.port}/feed.xml`,
      body: Buffer.from(FEED),
      contentType: "application/atom+xml; charset=utf-8",
      etag: 'W/"abc"',
      lastModified: "Thu, 01 Jan 2026 00:00:00 GMT",
      maxAgeSeconds: 300,
    });
  });

  it("returns null for headers the server did not send", async () => {
    const server = await loopbackServer((_request, response) => response.end(FEED));
    const result = await safeFetch(`http://127.0.0.1:${server.port}/`, allowPrivate);
    expect(result).toMatchObject({
      contentType: null,
      etag: null,
      lastModified: null,
      maxAgeSeconds: null,
    });
  });

  it("sends User-Agent, Accept and Accept-Encoding", async () => {
    const server = await loopbackServer(feedHandler);

    await safeFetch(`http://127.0.0.1:${server.port}/feed.xml`, allowPrivate);

    const headers = server.requests[0]?.headers;
    expect(headers?.["user-agent"]).toBe(USER_AGENT);
    expect(headers?.accept).toMatch(/^application\/rss\+xml, .*\*\/\*;q=0\.5$/);
    expect(headers?.["accept-encoding"]).toBe("gzip, deflate, br");
  });

  it("reports a 404 with its status", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(404);
      response.end("not found");
    });

    const error = await appError(safeFetch(`http://127.0.0.1:${server.port}/gone`, allowPrivate));

    expect(error.code).toBe("fetch.http-status");
    expect(error.params).toEqual({ status: 404 });
  });

  it("reports a refused connection as a network error", async () => {
    // Take an ephemeral port, then free it, so nothing listens there.
    const { port: closedPort } = await listen(feedHandler, "127.0.0.1");
    const [server] = openServers.splice(0);
    await new Promise<void>((resolve) => server?.close(() => resolve()));

    const error = await appError(safeFetch(`http://127.0.0.1:${closedPort}/`, allowPrivate));

    expect(error.code).toBe("fetch.network");
    expect(error.params).toEqual({ reason: "ECONNREFUSED" });
  });
});

describe("compression", () => {
  const allowPrivate = options({ allowPrivateNetworks: true });

  it.each([
    ["gzip", zlib.gzipSync],
    ["deflate", zlib.deflateSync],
    ["br", zlib.brotliCompressSync],
  ] as const)("decodes a %s body", async (encoding, compress) => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Encoding": encoding });
      response.end(compress(Buffer.from(FEED)));
    });

    const result = await safeFetch(`http://127.0.0.1:${server.port}/feed.xml`, allowPrivate);

    expect(result.status === "ok" && result.body.toString()).toBe(FEED);
  });

  it("reports a body the server cut short, plain or compressed", async () => {
    for (const encoding of [null, "gzip"]) {
      const server = await listen((_request, response) => {
        const whole = encoding ? zlib.gzipSync(FEED.repeat(50)) : Buffer.from(FEED.repeat(50));
        response.writeHead(200, {
          "Content-Type": "application/rss+xml",
          "Content-Length": String(whole.length),
          ...(encoding ? { "Content-Encoding": encoding } : {}),
        });
        response.write(whole.subarray(0, 40));
        setTimeout(() => response.socket?.destroy(), 20);
      }, "127.0.0.1");

      const error = await appError(
        safeFetch(
          `http://127.0.0.1:${server.port}/feed.xml`,
          options({ allowPrivateNetworks: true }),
        ),
      );

      expect(error.code, String(encoding)).toBe("fetch.network");
    }
  });

  it("rejects a Content-Encoding it did not ask for", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Encoding": "zstd" });
      response.end("whatever");
    });
    const error = await appError(safeFetch(`http://127.0.0.1:${server.port}/`, allowPrivate));
    expect(error.code).toBe("fetch.network");
  });
});

describe("size limit", () => {
  const allowPrivate = options({ allowPrivateNetworks: true });

  it("refuses a body whose Content-Length is over maxBytes", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Length": 2_000 });
      response.end(Buffer.alloc(2_000, "a"));
    });

    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/`, { ...allowPrivate, maxBytes: 1_000 }),
    );

    expect(error.code).toBe("fetch.too-large");
  });

  it("refuses a chunked body once it passes maxBytes", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200); // no Content-Length: chunked
      for (let i = 0; i < 10; i++) response.write(Buffer.alloc(500, "a"));
      response.end();
    });

    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/`, { ...allowPrivate, maxBytes: 1_000 }),
    );

    expect(error.code).toBe("fetch.too-large");
  });

  it("keeps the first maxBytes of a longer body when asked to truncate, declared length or not", async () => {
    const declared = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Length": 2_000 });
      response.end(Buffer.concat([Buffer.from("<title>head</title>"), Buffer.alloc(1_981, "a")]));
    });
    const chunked = await loopbackServer((_request, response) => {
      response.writeHead(200);
      for (let i = 0; i < 10; i++) response.write(Buffer.alloc(500, String(i)));
      response.end();
    });
    const truncate = { ...allowPrivate, maxBytes: 1_000, truncateAtMaxBytes: true };

    const first = await safeFetch(`http://127.0.0.1:${declared.port}/`, truncate);
    const second = await safeFetch(`http://127.0.0.1:${chunked.port}/`, truncate);

    expect(first.status === "ok" && first.body.subarray(0, 19).toString()).toBe(
      "<title>head</title>",
    );
    expect(first.status === "ok" && first.body.length).toBe(1_000);
    expect(second.status === "ok" && second.body.toString()).toBe(
      `${"0".repeat(500)}${"1".repeat(500)}`,
    );
  });

  it("sends the Accept header it is given", async () => {
    const server = await loopbackServer(feedHandler);
    await safeFetch(`http://127.0.0.1:${server.port}/`, { ...allowPrivate, accept: "text/html" });
    expect(server.requests[0]?.headers.accept).toBe("text/html");
  });

  it("accepts a body of exactly maxBytes", async () => {
    const server = await loopbackServer((_request, response) => response.end(Buffer.alloc(1_000)));
    const result = await safeFetch(`http://127.0.0.1:${server.port}/`, {
      ...allowPrivate,
      maxBytes: 1_000,
    });
    expect(result.status === "ok" && result.body.length).toBe(1_000);
  });

  it("cuts a gzip bomb at maxBytes instead of inflating it", async () => {
    // 50 MB of zeros is ~50 KB gzipped. The server sends it 1 KB at a time, so if the
    // client stops early the server sees the connection close long before the end.
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    let sentBytes = 0;
    let serverSawClose!: () => void;
    const closed = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Encoding": "gzip", "Content-Type": "application/xml" });
      response.on("close", () => serverSawClose());
      const sendNext = () => {
        if (response.destroyed || response.writableEnded) return;
        if (sentBytes >= bomb.length) return response.end();
        const slice = bomb.subarray(sentBytes, sentBytes + 1024);
        sentBytes += slice.length;
        response.write(slice);
        setTimeout(sendNext, 5);
      };
      sendNext();
    });

    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/bomb.xml`, {
        ...allowPrivate,
        maxBytes: 5 * 1024 * 1024,
      }),
    );
    await closed;

    expect(error.code).toBe("fetch.too-large");
    expect(error.params).toEqual({ megabytes: 5 });
    expect(sentBytes).toBeLessThan(bomb.length / 2);
  });
});

describe("kept-alive connections", () => {
  /** Connections the server accepted, counted on each of its listeners. */
  function countConnections(server: http.Server): { count: number } {
    const counter = { count: 0 };
    server.on("connection", () => counter.count++);
    return counter;
  }

  it("fetches the same host twice over one connection", async () => {
    const server = await listen(feedHandler, "127.0.0.1");
    const connections = countConnections(openServers.at(-1) as http.Server);
    const url = `http://127.0.0.1:${server.port}/feed.xml`;

    const first = await safeFetch(url, options({ allowPrivateNetworks: true }));
    const second = await safeFetch(url, options({ allowPrivateNetworks: true }));

    expect([first.status, second.status]).toEqual(["ok", "ok"]);
    expect(server.requests).toHaveLength(2);
    expect(connections.count).toBe(1);
  });

  it("keeps the connection after a 304", async () => {
    const server = await listen((request, response) => {
      if (request.headers["if-none-match"] === '"v1"') response.writeHead(304).end();
      else feedHandler(request, response);
    }, "127.0.0.1");
    const connections = countConnections(openServers.at(-1) as http.Server);
    const url = `http://127.0.0.1:${server.port}/feed.xml`;

    const notModified = await safeFetch(url, options({ allowPrivateNetworks: true, etag: '"v1"' }));
    const full = await safeFetch(url, options({ allowPrivateNetworks: true }));

    expect([notModified.status, full.status]).toEqual(["not-modified", "ok"]);
    expect(connections.count).toBe(1);
  });

  it("sends the GET again on a new connection when the server dropped the idle one", async () => {
    // The server answers the first request of each connection and drops the connection on
    // the second, as a server whose keep-alive ran out just as the request arrived.
    const seen = new WeakMap<object, number>();
    const server = await listen((request, response) => {
      const count = (seen.get(request.socket) ?? 0) + 1;
      seen.set(request.socket, count);
      if (count > 1) request.socket.destroy();
      else feedHandler(request, response);
    }, "127.0.0.1");
    const connections = countConnections(openServers.at(-1) as http.Server);
    const url = `http://127.0.0.1:${server.port}/feed.xml`;

    await safeFetch(url, options({ allowPrivateNetworks: true }));
    const again = await safeFetch(url, options({ allowPrivateNetworks: true }));

    expect(again.status).toBe("ok");
    if (again.status === "ok") expect(again.body.toString()).toBe(FEED);
    expect(server.requests).toHaveLength(3);
    expect(connections.count).toBe(2);
  });

  it("reports a connection dropped before any answer, without a second try, when it was new", async () => {
    const server = await listen((request) => request.socket.destroy(), "127.0.0.1");

    const error = await appError(
      safeFetch(
        `http://127.0.0.1:${server.port}/feed.xml`,
        options({ allowPrivateNetworks: true }),
      ),
    );

    expect(error.code).toBe("fetch.network");
    expect(server.requests).toHaveLength(1);
  });

  it("opens a new connection when the name now resolves to another checked address", async () => {
    const server = await loopbackServer(feedHandler);
    const [v4, v6] = openServers.slice(-2) as [http.Server, http.Server];
    const onV4 = countConnections(v4);
    const onV6 = countConnections(v6);
    let lookups = 0;
    const lookup = async () =>
      ++lookups === 1
        ? [{ address: "127.0.0.1", family: 4 as const }]
        : [{ address: "::1", family: 6 as const }];
    const url = `http://feeds.example.test:${server.port}/feed.xml`;

    await safeFetch(url, options({ allowPrivateNetworks: true, lookup }));
    await safeFetch(url, options({ allowPrivateNetworks: true, lookup }));

    expect([onV4.count, onV6.count]).toEqual([1, 1]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("timeout and cancellation", () => {
  const allowPrivate = options({ allowPrivateNetworks: true });

  it("times out when the server never answers", async () => {
    const server = await loopbackServer(() => {
      // Accept the request and never respond.
    });

    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/`, { ...allowPrivate, timeoutMs: 300 }),
    );

    expect(error.code).toBe("fetch.timeout");
    expect(error.params).toEqual({ seconds: 0.3 });
  });

  it("times out when the body stalls after the headers", async () => {
    const server = await loopbackServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/rss+xml" });
      response.write("<rss>"); // and nothing more
    });

    const error = await appError(
      safeFetch(`http://127.0.0.1:${server.port}/`, { ...allowPrivate, timeoutMs: 300 }),
    );

    expect(error.code).toBe("fetch.timeout");
  });

  it("times out when name resolution hangs", async () => {
    const lookup = () => new Promise<never>(() => {});
    const error = await appError(
      safeFetch("http://slow.example.test/", { ...allowPrivate, lookup, timeoutMs: 300 }),
    );
    expect(error.code).toBe("fetch.timeout");
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const server = await loopbackServer(() => {});
    const controller = new AbortController();
    const reason = new Error("shutting down");

    const pending = safeFetch(`http://127.0.0.1:${server.port}/`, {
      ...allowPrivate,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 50);

    await expect(pending).rejects.toBe(reason);
  });
});

describe("fetch messages", () => {
  const fetchKeys = allMessageKeys().filter((key) => key.startsWith("fetch."));

  it("has every fetch.* code in the catalog", () => {
    expect(fetchKeys.sort()).toEqual([
      "fetch.blocked-address",
      "fetch.dns-failure",
      "fetch.http-status",
      "fetch.invalid-url",
      "fetch.network",
      "fetch.proxy-refused",
      "fetch.proxy-unreachable",
      "fetch.timeout",
      "fetch.too-large",
      "fetch.too-many-redirects",
      "fetch.unsupported-scheme",
    ]);
  });

  it.each(fetchKeys)("%s uses the same placeholders in English and Japanese", (key) => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(placeholders(t("ja", key))).toEqual(placeholders(t("en", key)));
  });

  it("tells the user how an operator can allow a private address", () => {
    const params = { host: "intranet.example.test", address: "10.0.0.5" };
    for (const locale of ["en", "ja"] as const) {
      const text = t(locale, "fetch.blocked-address", params);
      expect(text).toContain("OPSFEED_ALLOW_PRIVATE_NETWORKS");
      expect(text).toContain("10.0.0.5");
    }
  });
});
