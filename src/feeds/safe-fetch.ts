import { promises as dns, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction, Socket } from "node:net";
import { finished, pipeline } from "node:stream/promises";
import tls from "node:tls";
import zlib from "node:zlib";
import { type ProxySettings, proxyFor } from "../config/proxy.js";
import { AppError, isAppError } from "../errors.js";
import { agentFor } from "./connection-pool.js";
import { isPublicAddress, parseHostAddress } from "./network-policy.js";

/** How to fetch one feed URL; only `allowPrivateNetworks` and `userAgent` are required. */
export interface SafeFetchOptions {
  /** Operator setting OPSFEED_ALLOW_PRIVATE_NETWORKS: skip the public-address check. */
  allowPrivateNetworks: boolean;
  /** Sent as User-Agent, e.g. "opsfeed/0.1.0 (+https://github.com/opsfeed)". */
  userAgent: string;
  /** ETag from the previous fetch; sent as If-None-Match. */
  etag?: string | null;
  /** Last-Modified from the previous fetch; sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Budget for the whole fetch: DNS, connect, headers, redirects and body. Default 15 s. */
  timeoutMs?: number;
  /** Largest body accepted, counted after decompression. Default 5 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Address policy; default: everything when allowPrivateNetworks, else isPublicAddress. For tests. */
  isAllowedAddress?: (ip: string) => boolean;
  /** Name resolution; default dns.promises.lookup(host, { all: true }). For tests. */
  lookup?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  /** Cancels the fetch; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Outbound proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); default: none. */
  proxy?: ProxySettings;
  /** The Accept header; default: feed formats first. */
  accept?: string;
  /**
   * Keep the first `maxBytes` of a longer body instead of failing with `fetch.too-large`: a
   * page's title and description sit in its head, so the rest need not be read at all.
   */
  truncateAtMaxBytes?: boolean;
}

/** A fetched body, or "not modified" when the conditional headers matched. */
export type SafeFetchResult =
  | {
      status: "ok";
      /** Final URL after redirects. */
      url: string;
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** Cache-Control max-age: seconds the response stays fresh, or null */
      maxAgeSeconds: number | null;
    }
  | { status: "not-modified"; url: string; maxAgeSeconds: number | null };

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT =
  "application/rss+xml, application/rdf+xml, application/atom+xml, application/feed+json, " +
  "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

type ResolvedAddress = { address: string; family: 4 | 6 };

/**
 * GET a feed URL without letting it reach private networks: every address a host (or a
 * redirect target) resolves to is checked before connecting, and the connection goes to
 * exactly the checked address. Time, size and redirects are bounded. Failures are
 * AppErrors with `fetch.*` codes.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new AppError("fetch.timeout", { seconds: timeoutMs / 1000 })),
    timeoutMs,
  );
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  try {
    return await fetchFollowingRedirects(url, options, signal);
  } catch (error) {
    // Whatever broke once the deadline (or the caller) aborted is a consequence of that abort.
    if (signal.aborted) throw signal.reason;
    if (isAppError(error)) throw error;
    throw new AppError("fetch.network", { reason: describeError(error) }, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

async function fetchFollowingRedirects(
  startUrl: string,
  options: SafeFetchOptions,
  signal: AbortSignal,
): Promise<SafeFetchResult> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const isAllowed =
    options.isAllowedAddress ?? (options.allowPrivateNetworks ? () => true : isPublicAddress);
  let url = parseFeedUrl(startUrl);
  for (let redirects = 0; ; redirects++) {
    signal.throwIfAborted();
    const addresses = await resolveAllowed(url, isAllowed, options, signal);
    // The validators belong to the URL the feed was stored under, not to a redirect target.
    const conditional = redirects === 0;
    const response = await sendRequest(url, addresses, options, conditional, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;

    if (REDIRECT_STATUSES.has(status) && location) {
      response.destroy();
      if (redirects >= maxRedirects) {
        throw new AppError("fetch.too-many-redirects", { max: maxRedirects });
      }
      url = parseFeedUrl(location, url);
      continue;
    }
    if (status === 304) {
      // A 304 has no body: read to its end, the connection goes back to the pool for reuse.
      await finished(response.resume()).catch(() => {});
      return { status: "not-modified", url: url.href, maxAgeSeconds: maxAgeOf(response) };
    }
    if (status < 200 || status > 299) {
      response.destroy();
      const retryAfter = retryAfterSeconds(response);
      throw new AppError(
        "fetch.http-status",
        retryAfter === null ? { status } : { status, retryAfterSeconds: retryAfter },
      );
    }
    const body = await readBody(
      response,
      options.maxBytes ?? DEFAULT_MAX_BYTES,
      options.truncateAtMaxBytes === true,
      signal,
    );
    return {
      status: "ok",
      url: url.href,
      body,
      contentType: response.headers["content-type"] ?? null,
      etag: headerValue(response.headers.etag),
      lastModified: headerValue(response.headers["last-modified"]),
      maxAgeSeconds: maxAgeOf(response),
    };
  }
}

/** The longest wait opsfeed honours from a server (a day): a bigger one is taken as a day. */
const MAX_HONOURED_WAIT_SECONDS = 24 * 60 * 60;

/** Cache-Control's max-age (s-maxage is for shared caches), in seconds, or null. */
function maxAgeOf(response: IncomingMessage): number | null {
  const header = headerValue(response.headers["cache-control"]) ?? "";
  if (/(^|,)\s*(no-cache|no-store)\s*(,|$)/i.test(header)) return null;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(header);
  return match ? Math.min(Number(match[1]), MAX_HONOURED_WAIT_SECONDS) : null;
}

/** Retry-After (seconds, or an HTTP date) of a refusal such as 429 or 503, in seconds, or null. */
function retryAfterSeconds(response: IncomingMessage): number | null {
  const header = headerValue(response.headers["retry-after"]);
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header.trim())
    : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0
    ? Math.min(seconds, MAX_HONOURED_WAIT_SECONDS)
    : null;
}

/** Parses `text` (relative to `base` for a redirect Location) and accepts only http(s). */
function parseFeedUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (error) {
    throw new AppError("fetch.invalid-url", {}, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("fetch.unsupported-scheme", { scheme: url.protocol.replace(/:$/, "") });
  }
  return url;
}

/** Every address the URL's host stands for, after checking each one against the policy. */
async function resolveAllowed(
  url: URL,
  isAllowed: (ip: string) => boolean,
  options: SafeFetchOptions,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const literal = parseHostAddress(url.hostname);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(":") ? 6 : 4 } as ResolvedAddress]
    : await resolveName(url.hostname, options, signal);
  // One bad address is enough to refuse: a name that resolves to both a public and a
  // private address must not get a second chance at the private one on retry.
  const refused = addresses.find(({ address }) => !isAllowed(address));
  if (refused) {
    throw new AppError("fetch.blocked-address", { host: url.hostname, address: refused.address });
  }
  return addresses;
}

async function resolveName(
  hostname: string,
  options: SafeFetchOptions,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const lookup = options.lookup ?? defaultLookup;
  let addresses: ResolvedAddress[];
  try {
    // dns.lookup cannot be cancelled; stop waiting for it when the deadline passes.
    addresses = await abortable(lookup(hostname), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new AppError("fetch.dns-failure", { host: hostname }, { cause: error });
  }
  if (addresses.length === 0) throw new AppError("fetch.dns-failure", { host: hostname });
  return addresses;
}

async function defaultLookup(hostname: string): Promise<ResolvedAddress[]> {
  const results = await dns.lookup(hostname, { all: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/** Sends the GET and resolves with the response head; the body is left unread. */
function sendRequest(
  url: URL,
  addresses: ResolvedAddress[],
  options: SafeFetchOptions,
  conditional: boolean,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    "User-Agent": options.userAgent,
    Accept: options.accept ?? ACCEPT,
    "Accept-Encoding": "gzip, deflate, br",
  };
  if (conditional && options.etag) headers["If-None-Match"] = options.etag;
  if (conditional && options.lastModified) headers["If-Modified-Since"] = options.lastModified;
  const proxy = options.proxy ? proxyFor(url, options.proxy) : null;
  if (proxy) return sendThroughProxy(proxy, url, addresses, headers, signal);

  const literal = parseHostAddress(url.hostname);
  const isHttps = url.protocol === "https:";
  const requestOptions: https.RequestOptions = {
    method: "GET",
    // Node skips name resolution for an IP literal; a name goes through pinnedLookup.
    host: literal ?? url.hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers,
    lookup: pinnedLookup(addresses),
    // Only connections opened to these same checked addresses are reused (connection-pool.ts).
    agent: agentFor(url, addresses),
    signal,
  };
  if (url.username || url.password) {
    requestOptions.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  // TLS verification stays on (the default); SNI and the certificate check use the name.
  if (isHttps && !literal) requestOptions.servername = url.hostname;

  const send = (retried: boolean): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const request = (isHttps ? https : http).request(requestOptions);
      let answered = false;
      request.once("response", (response) => {
        answered = true;
        resolve(response);
      });
      // Kept for the request's lifetime: a late socket error must not become an uncaught event.
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A server may close an idle kept-alive connection just as it is reused; the GET never
        // reached it, so it is sent once more, on a new connection.
        const canRetry = !answered && !retried && !signal.aborted && request.reusedSocket;
        if (canRetry && isReset(error)) {
          resolve(send(true));
        } else reject(error);
      });
      request.end();
    });
  return send(false);
}

/** True for the errors of a connection the other side closed. */
function isReset(error: NodeJS.ErrnoException): boolean {
  return error.code === "ECONNRESET" || error.code === "EPIPE";
}

/**
 * Sends the GET through a proxy's CONNECT tunnel to the address already checked, never to the
 * name: a proxy that resolved the name itself could be pointed at a private address after the
 * check (DNS rebinding). TLS, when the feed is https, runs inside the tunnel against the name,
 * so the certificate is still verified for it. Addresses are tried in order.
 */
async function sendThroughProxy(
  proxy: string,
  url: URL,
  addresses: ResolvedAddress[],
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  let lastError: unknown = null;
  for (const address of addresses) {
    let tunnel: Socket;
    try {
      tunnel = await openTunnel(proxy, address, port, signal);
    } catch (error) {
      lastError = error;
      if (signal.aborted) break;
      continue;
    }
    const literal = parseHostAddress(url.hostname);
    const isHttps = url.protocol === "https:";
    const socket = isHttps
      ? tls.connect({
          socket: tunnel,
          host: url.hostname,
          ...(literal ? {} : { servername: url.hostname }),
        })
      : tunnel;
    const requestOptions: https.RequestOptions = {
      method: "GET",
      host: url.hostname,
      port,
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false,
      createConnection: () => socket,
      signal,
    };
    if (url.username || url.password) {
      requestOptions.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    }
    return new Promise((resolve, reject) => {
      const request = (isHttps ? https : http).request(requestOptions);
      request.once("response", resolve);
      request.on("error", reject);
      request.end();
    });
  }
  throw lastError;
}

/** Asks the proxy to CONNECT to `address:port`; resolves with the open tunnel. */
function openTunnel(
  proxy: string,
  address: ResolvedAddress,
  port: number,
  signal: AbortSignal,
): Promise<Socket> {
  const proxyUrl = new URL(proxy);
  const target =
    address.family === 6 ? `[${address.address}]:${port}` : `${address.address}:${port}`;
  const headers: Record<string, string> = { Host: target };
  if (proxyUrl.username || proxyUrl.password) {
    const credentials = `${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`;
    headers["Proxy-Authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  const secureProxy = proxyUrl.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secureProxy ? https : http).request({
      method: "CONNECT",
      host: proxyUrl.hostname.replace(/^\[|\]$/g, ""),
      port: Number(proxyUrl.port) || (secureProxy ? 443 : 80),
      path: target,
      headers,
      agent: false,
      signal,
    });
    request.once("connect", (response, socket) => {
      if (response.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(new AppError("fetch.proxy-refused", { target, status: response.statusCode ?? 0 }));
    });
    request.on("error", (error) =>
      reject(
        new AppError("fetch.proxy-unreachable", {
          proxy: proxyUrl.host,
          reason: describeError(error),
        }),
      ),
    );
    request.end();
  });
}

/**
 * A `lookup` for node:net that answers with the addresses already checked, so the socket
 * connects to exactly what the policy approved: there is no second DNS query a
 * rebinding attacker could answer differently.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    const first = addresses[0] as ResolvedAddress;
    // With autoSelectFamily (Node's default) net asks for all addresses and tries each.
    if (lookupOptions.all) callback(null, addresses as LookupAddress[]);
    else callback(null, first.address, first.family);
  };
}

/**
 * Reads and decompresses the body, stopping as soon as it passes `maxBytes`: a failure, or
 * with `truncate` the first `maxBytes` bytes.
 */
async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  truncate: boolean,
  signal: AbortSignal,
): Promise<Buffer> {
  const tooLarge = () =>
    new AppError("fetch.too-large", { megabytes: Number((maxBytes / 1024 / 1024).toPrecision(2)) });
  let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null;
  try {
    decoder = createDecoder(response.headers["content-encoding"]);
  } catch (error) {
    response.destroy();
    throw error;
  }
  // Only an unencoded length says how big the body will be; a compressed one says nothing
  // about the decompressed size, which is what the limit is for.
  const declaredLength = Number(response.headers["content-length"]);
  if (!truncate && !decoder && Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    response.destroy();
    throw tooLarge();
  }

  if (!decoder) return readPlainBody(response, maxBytes, truncate, signal, tooLarge);

  const chunks: Buffer[] = [];
  let received = 0;
  let overLimit = false;
  // Throwing here makes pipeline destroy the decoder and the response (closing the
  // socket), so a compression bomb is never inflated further than maxBytes.
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      received += chunk.length;
      if (received > maxBytes) {
        overLimit = true;
        if (truncate) chunks.push(chunk.subarray(0, chunk.length - (received - maxBytes)));
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  };
  try {
    if (decoder) await pipeline(response, decoder, collect, { signal });
    else await pipeline(response, collect, { signal });
  } catch (error) {
    // pipeline may report the AbortError of the streams it tore down instead of ours.
    if (overLimit && truncate) return Buffer.concat(chunks, maxBytes);
    if (overLimit) throw tooLarge();
    throw error;
  }
  return Buffer.concat(chunks, received);
}

/**
 * An unencoded body, read by its events: `pipeline` and its async iterator cost more than the
 * reading itself for a feed of a few KB (its abort listeners and errors, made per body).
 */
function readPlainBody(
  response: IncomingMessage,
  maxBytes: number,
  truncate: boolean,
  signal: AbortSignal,
  tooLarge: () => AppError,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => {
      response.destroy();
      finish(() => reject(signal.reason));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    response.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Past the limit: the rest is never read (the connection is closed).
      response.destroy();
      if (truncate) {
        chunks.push(chunk.subarray(0, chunk.length - (received - maxBytes)));
        finish(() => resolve(Buffer.concat(chunks, maxBytes)));
      } else finish(() => reject(tooLarge()));
    });
    response.once("end", () => finish(() => resolve(Buffer.concat(chunks, received))));
    response.once("error", (error) => finish(() => reject(error)));
    // A connection closed before the end of the body (no error on some versions of Node).
    response.once("close", () =>
      finish(() => reject(new AppError("fetch.network", { reason: "the body was cut short" }))),
    );
  });
}

/** A streaming decompressor for the Content-Encoding, or null for an identity body. */
function createDecoder(
  contentEncoding: string | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  // Sync-flush finishing, as browsers do: tolerate a body that stops without the final block.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case "":
    case "identity":
      return null;
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip(lenient);
    case "deflate":
      return zlib.createInflate(lenient);
    case "br":
      return zlib.createBrotliDecompress({
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      throw new AppError("fetch.network", { reason: `unsupported Content-Encoding "${encoding}"` });
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Resolves or rejects like `promise`, or rejects with the signal's reason once it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A short, stable reason for a network failure: the error code when there is one. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ?? error.message;
  }
  return String(error);
}
