import { describe, expect, it } from "vitest";
import { canonicalizeUrl } from "../src/feeds/canonical-url.js";

describe("canonicalizeUrl", () => {
  it("collapses the same article with utm parameters from two feeds to one URL", () => {
    const fromHatena = canonicalizeUrl(
      "https://tech.example.co.jp/posts/unmanned-systems?utm_source=hatena&utm_medium=rss",
    );
    const fromTwitter = canonicalizeUrl(
      "https://tech.example.co.jp/posts/unmanned-systems?utm_source=twitter&utm_campaign=share",
    );
    expect(fromHatena).toBe("https://tech.example.co.jp/posts/unmanned-systems");
    expect(fromTwitter).toBe(fromHatena);
  });

  it("removes every known tracking parameter and keeps the others in order", () => {
    const tracking = [
      "utm_source=a",
      "UTM_Content=b",
      "fbclid=c",
      "gclid=d",
      "dclid=e",
      "gbraid=f",
      "wbraid=g",
      "msclkid=h",
      "mc_cid=i",
      "mc_eid=j",
      "yclid=k",
      "_hsenc=l",
      "_hsmi=m",
      "igshid=n",
      "ref_src=o",
      "spm=p",
    ];
    const url = `https://example.com/search?z=1&${tracking.join("&")}&a=2&q=%E9%9A%9C%E5%AE%B3&flag`;
    expect(canonicalizeUrl(url)).toBe(
      "https://example.com/search?z=1&a=2&q=%E9%9A%9C%E5%AE%B3&flag",
    );
  });

  it("keeps parameters that only look similar", () => {
    expect(canonicalizeUrl("https://example.com/p?ref=feed&utm=1&page=2")).toBe(
      "https://example.com/p?ref=feed&utm=1&page=2",
    );
  });

  it("drops the fragment and an empty query", () => {
    expect(canonicalizeUrl("https://www.example.org/nohup-and-sighup#background-jobs")).toBe(
      "https://www.example.org/nohup-and-sighup",
    );
    expect(canonicalizeUrl("https://example.com/a?")).toBe("https://example.com/a");
    expect(canonicalizeUrl("https://example.com/a?utm_source=x#top")).toBe("https://example.com/a");
  });

  it("drops default ports but keeps others", () => {
    expect(canonicalizeUrl("http://example.com:80/a")).toBe("http://example.com/a");
    expect(canonicalizeUrl("https://example.com:443/a")).toBe("https://example.com/a");
    expect(canonicalizeUrl("https://example.com:8443/a")).toBe("https://example.com:8443/a");
    expect(canonicalizeUrl("https://example.com:80/a")).toBe("https://example.com:80/a");
  });

  it("lower-cases scheme and host but not the path", () => {
    expect(canonicalizeUrl("HTTPS://Ops-Blog.Example.JP/Entry/ABC")).toBe(
      "https://ops-blog.example.jp/Entry/ABC",
    );
  });

  it("does not play trailing-slash games", () => {
    expect(canonicalizeUrl("https://example.com")).toBe("https://example.com/");
    expect(canonicalizeUrl("https://example.com/a/")).toBe("https://example.com/a/");
    expect(canonicalizeUrl("https://example.com/a")).toBe("https://example.com/a");
  });

  it("is idempotent", () => {
    const inputs = [
      "https://tech.example.co.jp/posts/unmanned-systems?utm_source=hatena&utm_medium=rss",
      "HTTP://Example.com:80/a b/c?x=1&&utm_term=t&y=é#frag",
      "https://例え.jp/記事?q=障害",
      "https://example.com/?",
      "https://example.com/p?a=%zz&utm_source=x",
    ];
    for (const input of inputs) {
      const once = canonicalizeUrl(input);
      expect(once).not.toBeNull();
      expect(canonicalizeUrl(once ?? "")).toBe(once);
    }
  });

  it("returns null for other schemes and unparsable input", () => {
    expect(canonicalizeUrl("javascript:alert(1)")).toBeNull();
    expect(canonicalizeUrl("mailto:ops@example.com")).toBeNull();
    expect(canonicalizeUrl("ftp://example.com/file")).toBeNull();
    expect(canonicalizeUrl("/relative/path")).toBeNull();
    expect(canonicalizeUrl("not a url")).toBeNull();
    expect(canonicalizeUrl("")).toBeNull();
  });
});
