import http from "node:http";
import https from "node:https";

/*
 * Kept-alive connections for feed and page fetches. Opening a connection for every fetch
 * cost about a fifth of a poll's main-thread time on loopback (and a TLS handshake per feed on
 * the internet, where most Hatena feeds share one host). A connection is reused only by a
 * fetch to the same scheme, host and port whose name resolved to the same checked addresses:
 * a socket can never carry a request to an address the network policy did not approve for it.
 */

/** The resolved, policy-checked addresses a connection may go to. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** How long an idle connection is kept: under the 5 s most servers keep one open. */
const IDLE_MS = 4_000;

/** Idle connections kept per destination. */
const MAX_IDLE_PER_DESTINATION = 4;

/** Destinations remembered; the least recently used one's connections are closed beyond it. */
const MAX_DESTINATIONS = 256;

// Idle connections do not keep the process from exiting: Node's agent unrefs a socket while
// it waits in the pool, so shutdown has nothing to close here.

const agents = new Map<string, http.Agent>();

/**
 * The agent whose idle connections a fetch of `url` may reuse, given the addresses its host
 * resolved to and passed the policy: one per scheme, host, port and address set.
 */
export function agentFor(url: URL, addresses: readonly CheckedAddress[]): http.Agent {
  const key = `${url.protocol}//${url.host}#${addresses.map((a) => a.address).join(",")}`;
  const known = agents.get(key);
  if (known) {
    // Map order is insertion order: moving it to the end keeps the eviction LRU.
    agents.delete(key);
    agents.set(key, known);
    return known;
  }
  const options = {
    keepAlive: true,
    timeout: IDLE_MS,
    maxFreeSockets: MAX_IDLE_PER_DESTINATION,
    scheduling: "lifo" as const,
  };
  const agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  agents.set(key, agent);
  if (agents.size > MAX_DESTINATIONS) {
    const [oldestKey, oldest] = agents.entries().next().value as [string, http.Agent];
    agents.delete(oldestKey);
    closeIdle(oldest);
  }
  return agent;
}

// Not agent.destroy(): that also cuts the connections of fetches under way, which keep theirs
// (once they end, their connection idles out after IDLE_MS).
function closeIdle(agent: http.Agent): void {
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}
