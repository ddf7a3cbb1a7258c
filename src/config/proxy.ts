/*
 * The outbound proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, or their lower-case forms)
 * and which requests go through them. The rules are those of undici's EnvHttpProxyAgent,
 * which carries the Slack Web API calls, so feeds and Slack agree on what is proxied.
 */

/** The proxies opsfeed sends outbound requests through. */
export interface ProxySettings {
  /** proxy for http:// targets (HTTP_PROXY), or null */
  httpProxy: string | null;
  /** proxy for https:// targets (HTTPS_PROXY; HTTP_PROXY when unset), or null */
  httpsProxy: string | null;
  /** NO_PROXY: hosts (and their subdomains), host:port, or `*`, separated by commas or spaces */
  noProxy: string;
}

/** No proxy at all. */
export const NO_PROXY_SETTINGS: ProxySettings = { httpProxy: null, httpsProxy: null, noProxy: "" };

const DEFAULT_PORTS: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "ws:": 80,
  "wss:": 443,
};

/** A proxy URL for logs and messages: its credentials replaced by "…". */
export function describeProxy(proxy: string): string {
  return proxy.replace(/\/\/[^@/]*@/, "//…@");
}

/** Reads one proxy variable, the lower-case form first (as curl and undici do). */
function readProxyVariable(
  env: NodeJS.ProcessEnv,
  upper: string,
): { value: string | null; problem: string | null } {
  const lower = upper.toLowerCase();
  const name = env[lower]?.trim() ? lower : upper;
  const raw = env[name]?.trim();
  if (!raw) return { value: null, problem: null };
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    return {
      value: null,
      problem: `${name}: expected a proxy URL like http://proxy.internal:3128, got ${JSON.stringify(describeProxy(raw))}`,
    };
  }
  return { value: url.href, problem: null };
}

/** Reads and checks the proxy variables; one problem line per malformed one. */
export function readProxySettings(env: NodeJS.ProcessEnv): {
  settings: ProxySettings;
  problems: string[];
} {
  const http = readProxyVariable(env, "HTTP_PROXY");
  const https = readProxyVariable(env, "HTTPS_PROXY");
  const noProxy = (env.no_proxy?.trim() ? env.no_proxy : env.NO_PROXY)?.trim() ?? "";
  return {
    settings: { httpProxy: http.value, httpsProxy: https.value ?? http.value, noProxy },
    problems: [http.problem, https.problem].filter((line): line is string => line !== null),
  };
}

/** True when NO_PROXY says `url`'s host (and port) is reached directly. */
function bypassesProxy(url: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.length === 0) return false;
  if (noProxy.trim() === "*") return true;
  // url.host keeps an IPv6 literal's brackets, as NO_PROXY entries write them.
  const hostname = url.host.replace(/:\d*$/, "").toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? (parsed[1] as string) : entry).replace(/^\*?\./, "").toLowerCase();
    const entryPort = parsed ? Number(parsed[2]) : 0;
    if (entryPort && entryPort !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** The proxy a request to `url` goes through, or null when it goes direct. */
export function proxyFor(url: URL, proxy: ProxySettings): string | null {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  const chosen = secure ? proxy.httpsProxy : proxy.httpProxy;
  if (!chosen || bypassesProxy(url, proxy.noProxy)) return null;
  return chosen;
}
