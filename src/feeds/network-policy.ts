import { isIPv4, isIPv6 } from "node:net";

/**
 * Which addresses opsfeed may fetch feeds from. A feed URL is typed in by any Slack user,
 * so without this check the server could be used to reach its own private network, the
 * cloud metadata service or localhost-only admin ports (server-side request forgery).
 *
 * Pure functions only: resolving names and connecting lives in `safe-fetch.ts`.
 */

/** A CIDR block as a number range: `value >> (width - prefix) === base >> (width - prefix)`. */
interface Block {
  base: bigint;
  prefix: number;
}

/** IPv4 blocks that are not the public internet (IANA special-purpose registry). */
const REFUSED_IPV4 = [
  "0.0.0.0/8", // "this network"; connecting to 0.0.0.0 reaches the local host on Linux
  "10.0.0.0/8", // private (RFC 1918)
  "100.64.0.0/10", // carrier-grade NAT (RFC 6598)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local, incl. the cloud metadata service 169.254.169.254
  "172.16.0.0/12", // private (RFC 1918)
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // documentation (TEST-NET-1)
  "192.88.99.0/24", // deprecated 6to4 relay anycast
  "192.168.0.0/16", // private (RFC 1918)
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // documentation (TEST-NET-2)
  "203.0.113.0/24", // documentation (TEST-NET-3)
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, incl. the broadcast address 255.255.255.255
].map((cidr) => parseBlock(cidr, 4));

/** IPv6 blocks that are not the public internet. */
const REFUSED_IPV6 = [
  "::/128", // unspecified
  "::1/128", // loopback
  "64:ff9b:1::/48", // local-use NAT64 (RFC 8215)
  "100::/64", // discard-only
  "2001::/23", // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
  "2001:db8::/32", // documentation
  "3fff::/20", // documentation (RFC 9637)
  "fc00::/7", // unique local (the IPv6 "private network")
  "fe80::/10", // link-local
  "fec0::/10", // deprecated site-local
  "ff00::/8", // multicast
].map((cidr) => parseBlock(cidr, 6));

/**
 * IPv6 blocks whose last 32 bits are an IPv4 address that decides where the packet goes,
 * so they are judged by that IPv4 address (`::ffff:127.0.0.1` is loopback).
 */
const IPV4_EMBEDDING_IPV6 = [
  "::ffff:0:0/96", // IPv4-mapped
  "::/96", // IPv4-compatible (deprecated)
  "64:ff9b::/96", // well-known NAT64 prefix
].map((cidr) => parseBlock(cidr, 6));

/** 6to4 (2002::/16) carries the IPv4 address of its relay in bits 16..47. */
const SIX_TO_FOUR = parseBlock("2002::/16", 6);

/** All public IPv6 unicast is allocated from 2000::/3; anything else is special or unassigned. */
const GLOBAL_UNICAST_IPV6 = parseBlock("2000::/3", 6);

/** True when `ip` (an IPv4 or IPv6 address) is on the public internet; false for anything else, including text that is not an IP. */
export function isPublicAddress(ip: string): boolean {
  const address = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (isIPv4(address)) return isPublicIPv4(ipv4ToNumber(address));
  if (isIPv6(address)) return isPublicIPv6(ipv6ToNumber(address));
  return false;
}

/**
 * The IP address a URL host names, or null when the host is a DNS name. Accepts
 * `[v6]` as found in `URL.hostname`, and the legacy numeric IPv4 spellings (`127.1`,
 * `2130706433`, `0x7f.1`, `0177.0.0.1`) that WHATWG `URL` already normalises, so
 * the answer is the same whether or not the host went through `new URL` first.
 */
export function parseHostAddress(host: string): string | null {
  if (host.startsWith("[") && host.endsWith("]")) {
    const inner = host.slice(1, -1);
    return isIPv6(inner) ? inner.toLowerCase() : null;
  }
  if (isIPv4(host)) return host;
  if (isIPv6(host)) return host.toLowerCase();
  return parseLegacyIPv4(host);
}

function isPublicIPv4(value: bigint): boolean {
  return !REFUSED_IPV4.some((block) => inBlock(value, block, 32));
}

function isPublicIPv6(value: bigint): boolean {
  if (REFUSED_IPV6.some((block) => inBlock(value, block, 128))) return false;
  if (IPV4_EMBEDDING_IPV6.some((block) => inBlock(value, block, 128))) {
    return isPublicIPv4(value & 0xffff_ffffn);
  }
  if (inBlock(value, SIX_TO_FOUR, 128)) return isPublicIPv4((value >> 80n) & 0xffff_ffffn);
  return inBlock(value, GLOBAL_UNICAST_IPV6, 128);
}

function inBlock(value: bigint, block: Block, width: number): boolean {
  const hostBits = BigInt(width - block.prefix);
  return value >> hostBits === block.base >> hostBits;
}

function parseBlock(cidr: string, family: 4 | 6): Block {
  const [address = "", prefix = ""] = cidr.split("/");
  const base = family === 4 ? ipv4ToNumber(address) : ipv6ToNumber(address);
  return { base, prefix: Number(prefix) };
}

/** `a.b.c.d` (already validated) as a 32-bit number. */
function ipv4ToNumber(address: string): bigint {
  return address.split(".").reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** An IPv6 address (already validated, `::` and a trailing dotted quad allowed) as a 128-bit number. */
function ipv6ToNumber(address: string): bigint {
  let text = address.split("%")[0] ?? ""; // a zone id (fe80::1%eth0) does not change the address
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    // `::ffff:1.2.3.4`: the dotted quad is the last two 16-bit groups.
    const v4 = ipv4ToNumber(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...restGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/**
 * The WHATWG URL IPv4 parser: 1 to 4 dot-separated numbers, each decimal, `0x` hex or
 * leading-zero octal, the last one filling the remaining bytes (`127.1` is 127.0.0.1).
 */
function parseLegacyIPv4(host: string): string | null {
  const parts = host.split(".");
  if (parts.length > 1 && parts.at(-1) === "") parts.pop(); // a trailing dot is allowed
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers = parts.map(parseIPv4Number);
  const last = numbers.pop();
  if (last == null || numbers.some((n) => n == null || n > 255)) return null;
  if (last >= 256 ** (4 - numbers.length)) return null;
  let value = BigInt(last);
  numbers.forEach((n, index) => {
    value += BigInt(n ?? 0) << BigInt(8 * (3 - index));
  });
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
}

function parseIPv4Number(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part))
    return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part, 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}
