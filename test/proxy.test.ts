import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxyFor } from "../src/config/proxy.js";
import { safeFetch } from "../src/feeds/safe-fetch.js";
import { type ConnectProxy, startConnectProxy } from "./support/connect-proxy.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let proxy: ConnectProxy;
let feeds: FeedServer;
let app: TestApp | null = null;

beforeEach(async () => {
  proxy = await startConnectProxy();
  feeds = await startFeedServer();
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await feeds.close();
  await proxy.close();
});

const portOf = (url: string) => new URL(url).port;

describe("HTTPS_PROXY / HTTP_PROXY", () => {
  it("carries feed fetches and Slack's Web API through the proxy's CONNECT tunnel", async () => {
    app = await startTestApp({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
    const reply = await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    expect(reply.text).toContain("Example Cloud Status - Incidents");
    // The feed was fetched through a tunnel to the address opsfeed checked, not the name.
    expect(proxy.connects).toContain(`127.0.0.1:${portOf(feeds.url("x"))}`);
    // auth.test at start-up and the reply's response_url post went through it too (undici keeps
    // one tunnel open for several calls).
    const slackPort = portOf(app.fakeSlack.apiUrl);
    expect(proxy.connects).toContain(`127.0.0.1:${slackPort}`);
  });

  it("still refuses a private target with OPSFEED_ALLOW_PRIVATE_NETWORKS=false, before asking the proxy", async () => {
    app = await startTestApp({
      env: { HTTP_PROXY: proxy.url, OPSFEED_ALLOW_PRIVATE_NETWORKS: "false" },
    });
    const reply = await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    expect(reply.text).toContain("a private or internal network address");
    expect(
      proxy.connects.filter((target) => target.endsWith(`:${portOf(feeds.url("x"))}`)),
    ).toEqual([]);
    expect(feeds.requests).toEqual([]);
  });

  it("goes direct for NO_PROXY hosts", async () => {
    app = await startTestApp({
      env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: "localhost,127.0.0.1" },
    });
    const reply = await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    expect(reply.text).toContain("Example Cloud Status - Incidents");
    expect(proxy.connects).toEqual([]);
    expect(feeds.requests).toHaveLength(1);
  });

  it("sends the proxy's credentials and says when the proxy refuses or cannot be reached", async () => {
    const withCredentials = new URL(proxy.url);
    withCredentials.username = "ops";
    withCredentials.password = "s3cret";
    const settings = { httpProxy: withCredentials.href, httpsProxy: null, noProxy: "" };
    const fetched = await safeFetch(feeds.url("status-incidents.rss"), {
      allowPrivateNetworks: true,
      userAgent: "test",
      proxy: settings,
    });
    expect(fetched.status).toBe("ok");
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from("ops:s3cret").toString("base64")}`]);

    await expect(
      safeFetch("http://127.0.0.1:1/feed.xml", {
        allowPrivateNetworks: true,
        userAgent: "test",
        proxy: { httpProxy: "http://127.0.0.1:1", httpsProxy: null, noProxy: "" },
      }),
    ).rejects.toMatchObject({ code: "fetch.proxy-unreachable" });
  });
});

describe("proxyFor", () => {
  const settings = {
    httpProxy: "http://plain:3128/",
    httpsProxy: "http://secure:3128/",
    noProxy: "internal.example, .corp.example, 10.0.0.5:8080",
  };
  it.each([
    ["https://feeds.example/rss", "http://secure:3128/"],
    ["http://feeds.example/rss", "http://plain:3128/"],
    ["wss://wss-primary.slack.com/link", "http://secure:3128/"],
    ["https://internal.example/rss", null],
    ["https://blog.internal.example/rss", null],
    ["https://corp.example/rss", null],
    ["https://notinternal.example/rss", "http://secure:3128/"],
    ["http://10.0.0.5:8080/rss", null],
    ["http://10.0.0.5/rss", "http://plain:3128/"],
  ])("%s → %s", (url, expected) => {
    expect(proxyFor(new URL(url), settings)).toBe(expected);
  });

  it("bypasses everything with NO_PROXY=*", () => {
    expect(proxyFor(new URL("https://a.example/"), { ...settings, noProxy: "*" })).toBeNull();
  });
});
