/**
 * Article identity: the same article reached through different feeds (or with different
 * tracking parameters) must map to one canonical URL so it is stored and posted once.
 */

/** Query parameters that only say where a click came from, never which page it is. */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "mc_cid",
  "mc_eid",
  "yclid",
  "_hsenc",
  "_hsmi",
  "igshid",
  "ref_src",
  "spm",
]);

function isTrackingParam(rawKey: string): boolean {
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, " "));
  } catch {
    // A malformed escape is not a tracking key we know; keep the parameter.
  }
  key = key.toLowerCase();
  return key.startsWith("utm_") || TRACKING_PARAMS.has(key);
}

/**
 * Drops tracking parameters from a raw query string (without "?"). Other parameters keep
 * their exact spelling and order: re-serialising them could change what a server sees.
 */
function stripTrackingParams(search: string): string {
  return search
    .split("&")
    .filter((pair) => pair !== "" && !isTrackingParam(pair.split("=", 1)[0] ?? ""))
    .join("&");
}

/**
 * The canonical form of an http(s) URL, or null for other schemes and unparsable input:
 * scheme and host lower-cased, default port and fragment dropped, tracking parameters
 * removed, an empty "?" dropped, the path left as it is. Idempotent.
 */
export function canonicalizeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  // WHATWG URL already lower-cases scheme and host and drops :80 / :443.
  parsed.hash = "";
  const query = stripTrackingParams(parsed.search.slice(1));
  parsed.search = query === "" ? "" : `?${query}`;
  return parsed.href;
}

/**
 * A URL as opsfeed shows it anywhere (Slack, the CLI, logs, OPML): user info such as
 * `user:password@` is kept for fetching but shown as `***@`. Text that is not a URL is shown
 * with anything before an `@` in its authority masked the same way.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === "" && parsed.password === "") return url;
    parsed.username = "***";
    parsed.password = "";
    return parsed.href;
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
  }
}
