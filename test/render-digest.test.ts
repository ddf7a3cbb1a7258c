import { readFileSync } from "node:fs";
import type { types } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { DigestContent, DigestEntry } from "../src/digest/types.js";
import { parseFeed } from "../src/feeds/parse-feed.js";
import type { Locale } from "../src/i18n/locale.js";
import { ARTICLE_ACTIONS, DIGEST_METADATA_EVENT } from "../src/slack/ids.js";
import {
  type DigestMessage,
  renderActivityBlock,
  renderArticleBlocks,
  renderDigestMessages,
} from "../src/slack/render/digest.js";

function entry(overrides: Partial<DigestEntry> = {}): DigestEntry {
  return {
    articleId: 42,
    title: "Postmortem: the cache that forgot",
    url: "https://blog.example.com/postmortem-cache",
    summary: "How a TTL change emptied the cache at peak time, and what we changed.",
    source: "Example Engineering Blog",
    bookmarkCount: null,
    bookmarkCommentsUrl: null,
    publishedAt: "2026-11-24T22:15:00Z",
    ...overrides,
  };
}

function hatenaEntry(overrides: Partial<DigestEntry> = {}): DigestEntry {
  return entry({
    articleId: 7,
    title: "Kubernetes upgrades without downtime",
    url: "https://tech.example.jp/k8s-upgrades",
    summary: "A checklist for control-plane and node upgrades.",
    source: "Hatena Bookmark - Technology",
    bookmarkCount: 412,
    bookmarkCommentsUrl: "https://b.hatena.ne.jp/entry/s/tech.example.jp/k8s-upgrades",
    ...overrides,
  });
}

function digest(overrides: Partial<DigestContent> = {}): DigestContent {
  return {
    digestId: 3,
    channelId: "C0OPS",
    date: "2026-11-25",
    entries: [],
    overflowCount: 0,
    ...overrides,
  };
}

const activity = {
  savedCount: 2,
  commentCount: 3,
  assigneeIds: ["U1ALICE", "W2BOB"],
  doneCount: 1,
};

function smallDigest(titles: [string, string, string], source = "Example Engineering Blog") {
  return digest({
    entries: [
      hatenaEntry({ title: titles[0] }),
      entry({ articleId: 8, title: titles[1], source, bookmarkCount: null }),
      entry({ articleId: 9, title: titles[2], source, activity }),
    ],
  });
}

type Block = types.KnownBlock;

function blockOf(message: DigestMessage, blockId: string): Block {
  const block = message.blocks.find((candidate) => candidate.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block;
}

function mrkdwnOf(block: Block): string {
  if (block.type === "section" && block.text) return block.text.text;
  if (block.type === "context") {
    return block.elements.map((element) => ("text" in element ? element.text : "")).join("");
  }
  throw new Error(`no mrkdwn in a ${block.type} block`);
}

function buttonsOf(block: Block): types.Button[] {
  if (block.type !== "actions") throw new Error(`${block.type} is not an actions block`);
  return block.elements as types.Button[];
}

/** Every `text` string anywhere in the blocks (section, context, header, button labels). */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "text" && typeof inner === "string" ? [inner] : textsIn(inner),
  );
}

describe("renderDigestMessages: a small digest", () => {
  const english = renderDigestMessages(
    "en",
    smallDigest([
      "Kubernetes upgrades without downtime",
      "Postmortem: the cache that forgot",
      "Tracing & sampling at scale",
    ]),
    "Asia/Tokyo",
  );

  it("matches the English snapshot", () => {
    expect(english).toMatchSnapshot();
  });

  it("is one message with a dated header, the count, metadata and its articles in order", () => {
    expect(english).toHaveLength(1);
    const [message] = english as [DigestMessage];
    expect(message.blocks[0]).toMatchObject({
      type: "header",
      text: { type: "plain_text", text: "opsfeed digest — Wed, Nov 25, 2026" },
    });
    expect(mrkdwnOf(blockOf(message, "digest-count"))).toBe(
      "*3* new articles · time zone Asia/Tokyo",
    );
    expect(message.text).toBe("opsfeed digest for Wed, Nov 25, 2026: 3 new articles");
    expect(message.metadata).toEqual({
      event_type: DIGEST_METADATA_EVENT,
      event_payload: { digest_id: 3, part: 1, parts: 1 },
    });
    expect(message.articleIds).toEqual([7, 8, 9]);
  });

  it("links the title, the Hatena bookmark count to its comments, and dates the article", () => {
    const [message] = english as [DigestMessage];
    const published = Date.parse("2026-11-24T22:15:00Z") / 1000;
    expect(mrkdwnOf(blockOf(message, "article-7-text"))).toBe(
      [
        "*#7* <https://tech.example.jp/k8s-upgrades|Kubernetes upgrades without downtime>",
        "Hatena Bookmark - Technology · " +
          "<https://b.hatena.ne.jp/entry/s/tech.example.jp/k8s-upgrades|🔖 412 users> · " +
          `<!date^${published}^{date_short_pretty} {time}|2026-11-24 22:15 UTC>`,
        "A checklist for control-plane and node upgrades.",
      ].join("\n"),
    );
    const atom = mrkdwnOf(blockOf(message, "article-8-text"));
    expect(atom).not.toContain("🔖");
    expect(atom).toContain("\nExample Engineering Blog · <!date^");
  });

  it("shows the team's activity under an article, only the parts that are non-zero", () => {
    const [message] = english as [DigestMessage];
    expect(mrkdwnOf(blockOf(message, "article-9-activity"))).toBe(
      "📚 2 · 💬 3 · 👤 <@U1ALICE> <@W2BOB> · ✅ 1",
    );
    expect(message.blocks.some((block) => block.block_id === "article-7-activity")).toBe(false);
    const blocks = renderArticleBlocks(
      "en",
      entry({
        activity: {
          savedCount: 0,
          commentCount: 1,
          assigneeIds: ["bob", "<!channel>"],
          doneCount: 0,
        },
      }),
    );
    expect(blocks.map((block) => block.block_id)).toEqual([
      "article-42-text",
      "article-42-activity",
      "article-42",
    ]);
    expect(mrkdwnOf(blocks[1] as Block)).toBe("💬 1");
    const none = { savedCount: 0, commentCount: 0, assigneeIds: [], doneCount: 0 };
    expect(renderArticleBlocks("en", entry({ activity: none }))).toHaveLength(2);
  });

  it("gives each article four buttons carrying its id, in order", () => {
    const [message] = english as [DigestMessage];
    const buttons = buttonsOf(blockOf(message, "article-8"));
    expect(buttons.map((button) => [button.action_id, button.text.text, button.value])).toEqual([
      [ARTICLE_ACTIONS.readLater, "Read later", "8"],
      [ARTICLE_ACTIONS.assign, "Assign", "8"],
      [ARTICLE_ACTIONS.comment, "Comment", "8"],
      [ARTICLE_ACTIONS.done, "Done", "8"],
    ]);
  });

  it("adds a fifth button, Hatena comments, only to articles with a Hatena Bookmark entry", () => {
    const [message] = english as [DigestMessage];
    const buttons = buttonsOf(blockOf(message, "article-7"));
    expect(buttons.map((button) => [button.action_id, button.text.text, button.value])).toEqual([
      [ARTICLE_ACTIONS.readLater, "Read later", "7"],
      [ARTICLE_ACTIONS.assign, "Assign", "7"],
      [ARTICLE_ACTIONS.comment, "Comment", "7"],
      [ARTICLE_ACTIONS.done, "Done", "7"],
      [ARTICLE_ACTIONS.hatena, "Hatena comments", "7"],
    ]);
    const countOnly = renderArticleBlocks(
      "en",
      entry({ bookmarkCount: 3, bookmarkCommentsUrl: null }),
    );
    expect(buttonsOf(countOnly.at(-1) as Block).map((b) => b.action_id)).toContain(
      ARTICLE_ACTIONS.hatena,
    );
  });

  it("renders an article the same way alone as in the digest, for later updates", () => {
    const [message] = english as [DigestMessage];
    const alone = renderArticleBlocks(
      "en",
      entry({ articleId: 9, title: "Tracing & sampling at scale", activity }),
    );
    expect(message.blocks.filter((block) => block.block_id?.startsWith("article-9"))).toEqual(
      alone,
    );
    expect(mrkdwnOf(alone[0] as Block)).toContain("|Tracing &amp; sampling at scale>");
  });

  it("matches the Japanese snapshot, with translated header, count and buttons", () => {
    const japanese = renderDigestMessages(
      "ja",
      smallDigest(
        [
          "ダウンタイムなしで Kubernetes をアップグレードする",
          "障害報告: キャッシュが消えた日",
          "大規模環境でのトレーシングとサンプリング",
        ],
        "Example エンジニアリングブログ",
      ),
      "Asia/Tokyo",
    );
    expect(japanese).toMatchSnapshot();
    const [message] = japanese as [DigestMessage];
    expect(message.blocks[0]).toMatchObject({
      text: { text: "opsfeed ダイジェスト — 2026年11月25日(水)" },
    });
    expect(mrkdwnOf(blockOf(message, "digest-count"))).toBe(
      "新着記事 *3* 件 · タイムゾーン Asia/Tokyo",
    );
    expect(message.text).toBe("2026年11月25日(水) の opsfeed ダイジェスト: 新着記事 3 件");
    expect(mrkdwnOf(blockOf(message, "article-7-text"))).toContain("|🔖 412 users>");
    expect(buttonsOf(blockOf(message, "article-7")).map((button) => button.text.text)).toEqual([
      "あとで読む",
      "割り当てる",
      "コメント",
      "既読にする",
      "はてなのコメント",
    ]);
  });
});

describe("renderDigestMessages: text from feeds", () => {
  const feed = parseFeed(
    readFileSync(new URL("../../shared/fixtures/feeds/ops-links.json", import.meta.url)),
    "https://links.example.dev/feed.json",
  );
  const hostile = digest({
    entries: [
      ...feed.items.map((item, index) =>
        entry({
          articleId: 100 + index,
          title: item.title,
          url: item.url,
          summary: item.summary,
          source: feed.title,
          bookmarkCount: item.bookmarkCount,
          bookmarkCommentsUrl: item.bookmarkCommentsUrl,
          publishedAt: item.publishedAt,
        }),
      ),
      entry({
        articleId: 200,
        title: "<!here> <#C024BE7LR> <!subteam^S123> <@W024BE7LH|boss>",
        url: "https://example.com/a?x=<https://evil.example|click>",
        summary: "Summary with <!channel> and <https://evil.example/2|a link>",
        source: "<!here|here> Feed <https://evil.example/3>",
        bookmarkCount: 5,
        bookmarkCommentsUrl: "https://b.hatena.ne.jp/entry/<!channel>",
        publishedAt: "<!channel>",
      }),
    ],
  });

  it.each<Locale>(["en", "ja"])("keeps feed text harmless (%s)", (locale) => {
    const messages = renderDigestMessages(locale, hostile, "UTC");
    const json = JSON.stringify(messages);
    for (const markup of [
      "<!channel>",
      "<!here",
      "<@U",
      "<@W",
      "<#C",
      "<!subteam",
      "<https://evil",
    ]) {
      expect(json).not.toContain(markup);
    }
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).toContain(
      "Heads-up &lt;!channel&gt; about the &lt;https://evil.example|fake link&gt; &amp; &lt;@U024BE7LH&gt;",
    );
    for (const message of messages) expect(message.text).not.toMatch(/[<>]/);
  });

  it("matches the snapshot of the hostile titles", () => {
    expect(renderDigestMessages("en", hostile, "UTC")).toMatchSnapshot();
  });

  it("shows an article whose URL is not http(s) without a link", () => {
    const [message] = renderDigestMessages(
      "en",
      digest({ entries: [entry({ url: "javascript:alert(1)", title: "Click <me>" })] }),
      "UTC",
    ) as [DigestMessage];
    const text = mrkdwnOf(blockOf(message, "article-42-text"));
    expect(text.split("\n")[0]).toBe("*#42* Click &lt;me&gt;");
    expect(JSON.stringify(message)).not.toContain("javascript:");
  });

  it("links every URL as the URL parser writes it, escaped, however the feed wrote it", () => {
    const linked = (url: string) =>
      mrkdwnOf(
        blockOf(
          renderDigestMessages(
            "en",
            digest({ entries: [entry({ url })] }),
            "UTC",
          )[0] as DigestMessage,
          "article-42-text",
        ),
      ).split("\n")[0];
    const cases: Array<[string, string]> = [
      ["https://blog.example.com/a?b=1&c=2#d", "https://blog.example.com/a?b=1&amp;c=2#d"],
      ["https://blog.example.com/a/../b/./c", "https://blog.example.com/b/c"],
      ["https://blog.example.com/%2e%2e/b", "https://blog.example.com/b"],
      ["https://Blog.Example.COM:443/x", "https://blog.example.com/x"],
      ["https://blog.example.com", "https://blog.example.com/"],
      ["https://blog.example.com/x?q='a'", "https://blog.example.com/x?q=%27a%27"],
      ["https://0x7f.1/admin", "https://127.0.0.1/admin"],
      ["https://blog.example.com/a|b c", "https://blog.example.com/a%7Cb%20c"],
      ["https://blog.example.com/障害", "https://blog.example.com/%E9%9A%9C%E5%AE%B3"],
    ];
    for (const [url, href] of cases) {
      expect(linked(url), url).toBe(`*#42* <${href}|Postmortem: the cache that forgot>`);
    }
  });

  it("shows a Hatena count without a link when its comments URL is unusable", () => {
    const blocks = renderArticleBlocks(
      "en",
      hatenaEntry({ bookmarkCommentsUrl: "ftp://b.example/x" }),
    );
    expect(mrkdwnOf(blocks[0] as Block)).toContain(
      "\nHatena Bookmark - Technology · 🔖 412 users · <!date^",
    );
  });
});

describe("renderDigestMessages: splitting", () => {
  const longTitle = `${"Very long & <detailed> title about incident response ".repeat(40)}end`;
  const longSummary = `${"A summary that keeps going & going <on> ".repeat(150)}end`;
  const big = digest({
    digestId: 99,
    entries: Array.from({ length: 120 }, (_, index) =>
      (index % 2 === 0 ? hatenaEntry : entry)({
        articleId: 1000 + index,
        title: `${index} ${longTitle}`,
        summary: longSummary,
        source: "Source ".repeat(60),
        url: `https://example.com/${index}/${"path/".repeat(index % 5 === 0 ? 300 : 10)}`,
        activity:
          index % 3 === 0
            ? { ...activity, assigneeIds: Array.from({ length: 40 }, (_, n) => `U${n}AAAAAAAA`) }
            : undefined,
      }),
    ),
    overflowCount: 12,
  });
  const messages = renderDigestMessages("en", big, "Europe/Berlin");

  it("keeps every message within Slack's limits", () => {
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(message.text.length).toBeLessThanOrEqual(3000);
      for (const text of textsIn(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
      for (const block of message.blocks) {
        if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
        if (block.type === "actions") {
          for (const button of buttonsOf(block))
            expect(button.text.text.length).toBeLessThanOrEqual(75);
        }
      }
      const blockIds = message.blocks.map((block) => block.block_id);
      expect(new Set(blockIds).size).toBe(blockIds.length);
    }
  });

  it("shows every article exactly once, whole, in order", () => {
    const shown = messages.flatMap((message) => message.articleIds);
    expect(shown).toEqual(big.entries.map((e) => e.articleId));
    for (const message of messages) {
      for (const id of message.articleIds) {
        const ids = message.blocks.map((block) => block.block_id);
        expect(ids).toContain(`article-${id}-text`);
        expect(ids).toContain(`article-${id}`);
      }
    }
  });

  it("numbers the parts, opens each with a header or a continuation and closes the last", () => {
    const parts = messages.length;
    messages.forEach((message, index) => {
      const part = index + 1;
      expect(message.metadata.event_payload).toEqual({ digest_id: 99, part, parts });
      expect(message.text).toBe(
        `opsfeed digest for Wed, Nov 25, 2026: 120 new articles (part ${part} of ${parts})`,
      );
      if (part === 1) {
        expect(message.blocks[0]?.type).toBe("header");
      } else {
        expect(mrkdwnOf(message.blocks[0] as Block)).toBe(
          `opsfeed digest — Wed, Nov 25, 2026 (continued, part ${part} of ${parts})`,
        );
      }
      const hasOverflow = message.blocks.some((block) => block.block_id === "digest-overflow");
      expect(hasOverflow).toBe(part === parts);
    });
    const last = messages[parts - 1] as DigestMessage;
    expect(mrkdwnOf(last.blocks[last.blocks.length - 1] as Block)).toBe(
      "…and 12 more new articles. Raise OPSFEED_DIGEST_MAX_ARTICLES or add filters to see fewer.",
    );
  });

  it("cuts long titles and summaries, never inside an escaped character", () => {
    const section = mrkdwnOf(blockOf(messages[0] as DigestMessage, "article-1000-text"));
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toContain("…");
    expect(section).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it("starts a new message when the closing line would not fit", () => {
    // Each article keeps room for the activity line it may gain later (3 blocks), so 16
    // articles fill a first message: 2 opening blocks + 16 × 3 = 50.
    const entries = Array.from({ length: 16 }, (_, index) => entry({ articleId: index + 1 }));
    const full = renderDigestMessages("en", digest({ entries }), "UTC");
    expect(full).toHaveLength(1);
    expect(full[0]?.blocks).toHaveLength(2 + 16 * 2);

    const closed = renderDigestMessages("en", digest({ entries, overflowCount: 1 }), "UTC");
    expect(closed.map((message) => message.articleIds.length)).toEqual([15, 1]);
    expect(closed.map((message) => message.blocks.length)).toEqual([2 + 15 * 2, 4]);
    expect(mrkdwnOf(closed[1]?.blocks[3] as Block)).toBe(
      "…and 1 more new article. Raise OPSFEED_DIGEST_MAX_ARTICLES or add filters to see fewer.",
    );
  });

  it("shows a repeated article once", () => {
    const [message] = renderDigestMessages(
      "en",
      digest({ entries: [entry(), entry(), entry({ articleId: 43 })] }),
      "UTC",
    ) as [DigestMessage];
    expect(message.articleIds).toEqual([42, 43]);
    expect(message.text).toBe("opsfeed digest for Wed, Nov 25, 2026: 2 new articles");
  });

  it("renders a digest with nothing shown but an overflow as one message", () => {
    const messages = renderDigestMessages("ja", digest({ overflowCount: 3 }), "UTC");
    expect(messages).toHaveLength(1);
    expect(messages[0]?.blocks.map((block) => block.block_id)).toEqual([
      "digest-header",
      "digest-count",
      "digest-overflow",
    ]);
    expect(mrkdwnOf(messages[0]?.blocks[2] as Block)).toContain(
      "ほか 3 件の新着記事は省略しました",
    );
  });
});

describe("activity updates", () => {
  it("never push a message over 50 blocks when every article gains its activity line", () => {
    const entries = Array.from({ length: 120 }, (_, index) => entry({ articleId: index + 1 }));
    const messages = renderDigestMessages("en", digest({ entries, overflowCount: 3 }), "UTC");
    const activity = { savedCount: 1, commentCount: 2, assigneeIds: ["U1"], doneCount: 0 };
    for (const message of messages) {
      const withActivity = message.blocks.length + message.articleIds.length;
      expect(withActivity).toBeLessThanOrEqual(50);
      expect(renderActivityBlock("en", message.articleIds[0] as number, activity)).not.toBeNull();
    }
  });
});
