import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeClock } from "./support/clock.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { encodeLegacy } from "./support/legacy-encoding.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Any URL becomes an article: `later`, `assign` and `comment` with a link opsfeed has not
 * seen fetch the page (loopback page server), read its title and description in whatever
 * encoding it is written, and store it with a number; a page that cannot be read is saved
 * under its URL and the reply says why it has no title.
 */

let app: TestApp;
let pages: FeedServer;

beforeEach(async () => {
  pages = await startFeedServer();
  app = await startTestApp({ clock: fakeClock("2026-11-25T10:00:00.000Z") });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
});

afterEach(async () => {
  await app.stop();
  await pages.close();
});

/** An HTML page with this head. */
function html(head: string, body = "<p>本文</p>"): string {
  return `<!DOCTYPE html>\n<html lang="ja"><head>${head}</head><body>${body}</body></html>`;
}

/** The articles table, for checking what was stored. */
function articles() {
  return app.db
    .selectFrom("articles")
    .select(["id", "url", "title", "summary"])
    .orderBy("id")
    .execute();
}

/** The App Home view opsfeed last published for a user. */
function lastHome(userId: string) {
  const calls = app.fakeSlack
    .callsTo("views.publish")
    .filter((call) => call.args.user_id === userId);
  const last = calls.at(-1);
  if (!last) throw new Error(`no App Home published for ${userId}`);
  return textOf(last.args.view);
}

describe("later <url> with a page opsfeed has not seen", () => {
  it("fetches the page, stores it with a number and shows its real title in the queue and App Home", async () => {
    pages.set("/postmortem", {
      body: html(
        `<meta charset="utf-8"><title>Postmortem | Example Blog</title>
<meta property="og:title" content="Postmortem: the DNS outage of 24 November">
<meta property="og:description" content="What broke &amp; how we fixed it.">`,
      ),
      contentType: "text/html; charset=utf-8",
    });
    const reply = await app.ask(`later <${pages.url("/postmortem")}>`);
    expect(reply.text).toContain("Saved *#1* <");
    expect(reply.text).toContain("|Postmortem: the DNS outage of 24 November>");
    expect(reply.text).not.toContain("title");
    expect(await articles()).toEqual([
      {
        id: 1,
        url: pages.url("/postmortem"),
        title: "Postmortem: the DNS outage of 24 November",
        summary: "What broke & how we fixed it.",
      },
    ]);
    expect((await app.ask("later")).text).toContain("Postmortem: the DNS outage of 24 November");
    expect(lastHome("UALICE")).toContain("Postmortem: the DNS outage of 24 November");
    // The page is asked for as a web page, not as a feed.
    expect(pages.requests[0]?.headers.accept).toMatch(/^text\/html/);
  });

  it.each([
    [
      "Shift_JIS declared by the Content-Type only",
      encodeLegacy(html("<title>障害対応の振り返り（2026年11月）</title>"), "shift_jis"),
      "text/html; charset=Shift_JIS",
    ],
    [
      "EUC-JP declared by <meta charset> only",
      encodeLegacy(
        html('<meta charset="EUC-JP"><title>障害対応の振り返り（2026年11月）</title>'),
        "euc-jp",
      ),
      "text/html",
    ],
    [
      "Windows-31J declared by <meta http-equiv>",
      encodeLegacy(
        html(
          '<meta http-equiv="Content-Type" content="text/html; charset=Windows-31J"><title>障害対応の振り返り（2026年11月）</title>',
        ),
        "shift_jis",
      ),
      "text/html",
    ],
    [
      "UTF-8 under a <meta charset> that claims Shift_JIS",
      Buffer.from(
        html('<meta charset="Shift_JIS"><title>障害対応の振り返り（2026年11月）</title>'),
      ),
      "text/html",
    ],
  ])("reads a Japanese title in %s", async (_case, body, contentType) => {
    pages.set("/jp", { body, contentType });
    const reply = await app.ask(`later ${pages.url("/jp")}`, { userId: "UKENJI" });
    expect(reply.text).toContain("障害対応の振り返り（2026年11月）");
    expect(reply.text).toContain("「あとで読む」に追加しました");
    expect((await app.ask("later", { userId: "UKENJI" })).text).toContain(
      "障害対応の振り返り（2026年11月）",
    );
  });

  it("decodes entities beyond HTML 4 in a page's title", async () => {
    pages.set("/entities", {
      body: html("<title>Runbook &check; reviewed &star; &NewLine;twice &amp; signed</title>"),
      contentType: "text/html",
    });
    const reply = await app.ask(`later ${pages.url("/entities")}`);
    expect((await articles())[0]?.title).toBe("Runbook ✓ reviewed ☆ twice & signed");
    // Escaped for Slack when shown.
    expect(reply.text).toContain("Runbook ✓ reviewed ☆ twice &amp; signed");
  });

  it("reads the title of a page larger than opsfeed downloads, from its head", async () => {
    const filler = `<p>${"x".repeat(1020)}</p>`.repeat(3 * 1024);
    pages.set("/huge", {
      body: html("<title>A very long page</title>", filler),
      contentType: "text/html",
    });
    expect((await app.ask(`later ${pages.url("/huge")}`)).text).toContain("|A very long page>");
  });

  it("saves a page without a title under its URL and says so", async () => {
    pages.set("/untitled", { body: html('<meta charset="utf-8">'), contentType: "text/html" });
    const reply = await app.ask(`later ${pages.url("/untitled")}`);
    expect(reply.text).toContain("Saved *#1*");
    expect(reply.text).toContain("The page has no title, so it is saved under its URL.");
    expect((await articles())[0]?.title).toBe(pages.url("/untitled"));
  });

  it("saves a page that answers 404 under its URL and says why it has no title", async () => {
    const reply = await app.ask(`later ${pages.url("/gone")}`);
    expect(reply.text).toContain("Saved *#1*");
    expect(reply.text).toContain(
      "opsfeed could not read the page (the server answered HTTP 404), so it is saved under its URL, without a title.",
    );
    expect((await app.ask("later")).text).toContain(pages.url("/gone"));
    // In the user's language too.
    const ja = await app.ask(`later ${pages.url("/gone-too")}`, { userId: "UKENJI" });
    expect(ja.text).toContain("サーバーが HTTP 404 を返しました");
  });

  it("saves a link that is not a web page under its URL", async () => {
    pages.set("/report.pdf", { body: Buffer.from("%PDF-1.7"), contentType: "application/pdf" });
    const reply = await app.ask(`later ${pages.url("/report.pdf")}`);
    expect(reply.text).toContain("it is not a web page but `application/pdf`");
    expect(await articles()).toHaveLength(1);
  });

  it("does not fetch a private address when the policy forbids it, and still saves the link", async () => {
    const strict = await startTestApp({ env: { OPSFEED_ALLOW_PRIVATE_NETWORKS: "false" } });
    try {
      pages.set("/internal", {
        body: html("<title>Internal wiki</title>"),
        contentType: "text/html",
      });
      const reply = await strict.ask(`later ${pages.url("/internal")}`);
      expect(reply.text).toContain("Saved *#1*");
      expect(reply.text).toContain("a private network address opsfeed does not fetch");
      expect(reply.text).not.toContain("Internal wiki");
      expect(pages.requests).toHaveLength(0);
    } finally {
      await strict.stop();
    }
  });

  it("is one article per canonical URL: tracking parameters, the page's canonical link, redirects", async () => {
    pages.set("/a", {
      body: html(`<title>Canary deploys</title><link rel="canonical" href="/articles/canary">`),
      contentType: "text/html",
    });
    pages.set("/short", (_req, res) => {
      res.writeHead(301, { location: "/articles/canary" }).end();
    });
    pages.set("/articles/canary", {
      body: html("<title>Canary deploys</title>"),
      contentType: "text/html",
    });
    const first = await app.ask(`later ${pages.url("/a?utm_source=slack")}`);
    expect(first.text).toContain("Saved *#1*");
    // The same page under its canonical URL, through a redirect, or with other tracking: one article.
    expect((await app.ask(`later ${pages.url("/articles/canary")}`)).text).toContain("*#1* <");
    expect((await app.ask(`later ${pages.url("/short")}`)).text).toContain(
      "already in your read-later queue",
    );
    expect((await app.ask(`later ${pages.url("/a?fbclid=abc")}`)).text).toContain("already");
    expect(await articles()).toHaveLength(1);
    expect((await articles())[0]?.url).toBe(pages.url("/articles/canary"));
  });

  it("does not let a page claim another site's URL as its canonical one", async () => {
    pages.set("/spoof", {
      body: html(
        `<title>Totally the AWS status page</title><link rel="canonical" href="https://status.aws.example/">`,
      ),
      contentType: "text/html",
    });
    await app.ask(`later ${pages.url("/spoof")}`);
    expect((await articles())[0]?.url).toBe(pages.url("/spoof"));
  });
});

describe("assign and comment with a page opsfeed has not seen", () => {
  it("assigns a new page like a feed article: the assignee's DM carries its title", async () => {
    pages.set("/runbook", {
      body: html("<title>DB failover runbook</title>"),
      contentType: "text/html",
    });
    const reply = await app.ask(`assign <@UBOB> ${pages.url("/runbook")} please review`);
    expect(reply.text).toContain("Assigned *#1* <");
    expect(reply.text).toContain("|DB failover runbook>");
    const dm = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB",
    );
    expect(textOf(dm.args)).toContain("DB failover runbook");
    expect((await app.ask("assigned", { userId: "UBOB" })).text).toContain("DB failover runbook");
  });

  it("comments on a new page, and the reply says why it has no title when it cannot be read", async () => {
    const reply = await app.ask(`comment ${pages.url("/missing")} the link is dead already`);
    expect(reply.text).toContain("Your comment on *#1*");
    expect(reply.text).toContain("the server answered HTTP 404");
    const comments = await app.ask(`comments ${pages.url("/missing")}`);
    expect(comments.text).toContain("the link is dead already");
  });

  it("still answers that an article is unknown where nothing is to be saved", async () => {
    expect((await app.ask(`done ${pages.url("/never-seen")}`)).text).toContain(
      "There is no article",
    );
    expect((await app.ask(`comments ${pages.url("/never-seen")}`)).text).toContain(
      "There is no article",
    );
    expect(pages.requests).toHaveLength(0);
  });
});
