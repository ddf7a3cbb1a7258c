import { describe, expect, it } from "vitest";
import { isPublicAddress, parseHostAddress } from "../src/feeds/network-policy.js";

describe("isPublicAddress", () => {
  const refused: [string, string][] = [
    ["0.0.0.0", "unspecified / this host"],
    ["0.1.2.3", "this network 0/8"],
    ["10.0.0.1", "private 10/8"],
    ["10.255.255.255", "private 10/8, last address"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.254", "carrier-grade NAT, top of the block"],
    ["127.0.0.1", "loopback"],
    ["127.0.0.2", "loopback, not .1"],
    ["169.254.169.254", "cloud metadata service"],
    ["169.254.1.1", "link-local"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.255", "private 172.16/12, last address"],
    ["192.0.0.8", "IETF protocol assignments"],
    ["192.0.2.1", "TEST-NET-1"],
    ["192.88.99.1", "6to4 relay anycast"],
    ["192.168.1.1", "private 192.168/16"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking, top of the /15"],
    ["198.51.100.7", "TEST-NET-2"],
    ["203.0.113.9", "TEST-NET-3"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast (SSDP)"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "IPv6 unspecified"],
    ["::1", "IPv6 loopback"],
    ["[::1]", "IPv6 loopback in brackets"],
    ["fc00::1", "unique local"],
    ["fd12:3456:789a::1", "unique local fd00::/8"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone id"],
    ["febf:ffff::1", "link-local, top of fe80::/10"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "Teredo, in 2001::/23"],
    ["100::1", "discard-only"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
    ["::ffff:169.254.169.254", "IPv4-mapped metadata service"],
    ["::ffff:a00:1", "IPv4-mapped 10.0.0.1, hex form"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["64:ff9b::10.0.0.1", "NAT64 of a private address"],
    ["64:ff9b::7f00:1", "NAT64 of loopback, hex form"],
    ["2002:7f00:1::1", "6to4 of loopback"],
    ["2002:c0a8:101::1", "6to4 of 192.168.1.1"],
    ["3fff::1", "documentation 3fff::/20"],
    ["4000::1", "outside 2000::/3, unassigned"],
    ["localhost", "not an IP address"],
    ["example.com", "not an IP address"],
    ["", "empty"],
    ["999.1.1.1", "not a valid IPv4 address"],
  ];
  it.each(refused)("refuses %s (%s)", (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  const allowed: [string, string][] = [
    ["8.8.8.8", "Google DNS"],
    ["1.1.1.1", "Cloudflare DNS"],
    ["93.184.215.14", "an ordinary public host"],
    ["9.255.255.255", "just below 10/8"],
    ["11.0.0.0", "just above 10/8"],
    ["100.63.255.255", "just below 100.64/10"],
    ["100.128.0.0", "just above 100.64/10"],
    ["172.15.255.255", "just below 172.16/12"],
    ["172.32.0.0", "just above 172.16/12"],
    ["192.0.1.1", "between 192.0.0/24 and 192.0.2/24"],
    ["192.169.0.1", "just above 192.168/16"],
    ["198.20.0.1", "just above 198.18/15"],
    ["223.255.255.255", "just below multicast"],
    ["2606:4700:4700::1111", "Cloudflare DNS over IPv6"],
    ["2001:4860:4860::8888", "Google DNS over IPv6"],
    ["[2606:4700:4700::1111]", "IPv6 in brackets"],
    ["2001:200::1", "just above 2001::/23"],
    ["::ffff:8.8.8.8", "IPv4-mapped public address"],
    ["::ffff:808:808", "IPv4-mapped public address, hex form"],
    ["64:ff9b::8.8.8.8", "NAT64 of a public address"],
    ["2002:808:808::1", "6to4 of a public address"],
  ];
  it.each(allowed)("allows %s (%s)", (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe("parseHostAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["8.8.8.8", "8.8.8.8"],
    ["[::1]", "::1"],
    ["[::FFFF:7F00:1]", "::ffff:7f00:1"],
    ["::1", "::1"],
    // Legacy spellings, as `new URL` would normalise them.
    ["127.1", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["10.1.2", "10.1.0.2"],
    ["127.0.0.1.", "127.0.0.1"],
  ])("reads %s as %s", (host, address) => {
    expect(parseHostAddress(host)).toBe(address);
  });

  it.each([
    "example.com",
    "localhost",
    "feeds.example.test",
    "1.2.3.4.5",
    "256.1.1.1",
    "4294967296",
    "[not-an-ip]",
    "[127.0.0.1]",
    "",
  ])("reads %s as a name, not an address", (host) => {
    expect(parseHostAddress(host)).toBeNull();
  });

  it("agrees with WHATWG URL on every legacy spelling", () => {
    for (const spelling of [
      "127.1",
      "2130706433",
      "0x7f.1",
      "0177.0.0.1",
      "0x7f000001",
      "10.1.2",
    ]) {
      const normalised = new URL(`http://${spelling}/`).hostname;
      expect(parseHostAddress(spelling)).toBe(normalised);
    }
  });
});
