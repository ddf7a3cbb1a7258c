import type { types } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "../src/i18n/locale.js";
import {
  type ArticleSummary,
  type AssignedLists,
  type AssignmentView,
  type CommentView,
  MAX_COMMENT_LENGTH,
  MAX_NOTE_LENGTH,
  QUEUE_PAGE_SIZE,
  type QueuePage,
} from "../src/queue/types.js";
import { ARTICLE_ACTIONS, QUEUE_ACTIONS, QUEUE_VIEWS, READER_ACTIONS } from "../src/slack/ids.js";
import { articleLink } from "../src/slack/render/article.js";
import {
  renderAssignmentCancelledNotice,
  renderAssignmentDm,
  renderAssignmentDoneNotice,
} from "../src/slack/render/direct-messages.js";
import { renderHome } from "../src/slack/render/home.js";
import { renderAssignModal, renderCommentModal } from "../src/slack/render/modals.js";
import { renderAssigned, renderComments, renderQueue } from "../src/slack/render/queue-replies.js";
import type { Reply } from "../src/slack/render/reply.js";
import { renderCommentInThread } from "../src/slack/render/thread.js";

// ---------------------------------------------------------------------------------------
// Fixtures

const TODAY = "2026-11-25";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const CAROL = "W0CAROL";

/** Everything a feed or a user could type to mention people or forge a link. */
const HOSTILE = "<!channel> <!here> <@U123> <https://evil.example|x> & co";

function article(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: 42,
    title: "Postmortem: the cache that forgot",
    url: "https://blog.example.com/postmortem-cache",
    source: "Example Engineering Blog",
    bookmarkCount: null,
    ...overrides,
  };
}

function assignment(overrides: Partial<AssignmentView> = {}): AssignmentView {
  return {
    id: 5,
    article: article(),
    assigneeId: BOB,
    assignerId: ALICE,
    note: "Worth reading before Thursday's review.",
    dueDate: "2026-11-27",
    status: "open",
    createdAt: "2026-11-24T01:30:00Z",
    ...overrides,
  };
}

function comment(overrides: Partial<CommentView> = {}): CommentView {
  return {
    id: 1,
    userId: ALICE,
    channelId: "C_OPS",
    text: "We hit the same TTL problem last spring.",
    createdAt: "2026-11-24T03:00:00Z",
    ...overrides,
  };
}

/** Article ids 100, 101, … so every item of a test queue is distinct. */
function articles(count: number, from = 0): ArticleSummary[] {
  return Array.from({ length: count }, (_, index) =>
    article({ id: 100 + from + index, title: `Article ${from + index + 1}` }),
  );
}

/** The page of a queue of `total` entries that starts at `offset`. */
function queuePage(total: number, offset = 0, pageSize = QUEUE_PAGE_SIZE): QueuePage {
  const count = Math.max(0, Math.min(pageSize, total - offset));
  return {
    items: articles(count, offset).map((entry, index) => ({
      article: entry,
      savedAt: new Date(Date.UTC(2026, 10, 24, 12) - (offset + index) * 3_600_000).toISOString(),
    })),
    total,
    offset,
    pageSize,
  };
}

const smallQueue: QueuePage = {
  items: [
    { article: article(), savedAt: "2026-11-24T22:15:00Z" },
    {
      article: article({
        id: 7,
        title: "Kubernetes upgrades without downtime",
        url: "https://tech.example.jp/k8s-upgrades",
        source: "Hatena Bookmark - Technology",
        bookmarkCount: 412,
      }),
      savedAt: "2026-11-23T08:00:00Z",
    },
    {
      article: article({ id: 9, title: "Tracing & sampling", source: null }),
      savedAt: "2026-11-20T00:00:00Z",
    },
  ],
  total: 3,
  offset: 0,
  pageSize: QUEUE_PAGE_SIZE,
};

const assignedLists: AssignedLists = {
  toMe: [
    assignment(),
    assignment({
      id: 6,
      article: article({ id: 7, title: "Kubernetes upgrades without downtime" }),
      assignerId: CAROL,
      note: null,
      dueDate: "2026-11-20",
    }),
    assignment({ id: 8, article: article({ id: 9 }), note: null, dueDate: null }),
  ],
  byMe: [assignment({ id: 11, assigneeId: CAROL, assignerId: BOB, dueDate: TODAY })],
};

const threeComments: CommentView[] = [
  comment(),
  comment({ id: 2, userId: BOB, text: "Line one\nLine two", createdAt: "2026-11-24T04:00:00Z" }),
  comment({ id: 3, userId: CAROL, text: "Agreed 👍", createdAt: "2026-11-24T05:00:00Z" }),
];

const modalContext = { articleId: 42, channelId: "C0OPS" };

// ---------------------------------------------------------------------------------------
// Helpers

type Block = types.KnownBlock | types.AnyBlock;

/** Every `text` string anywhere in the value (sections, contexts, headers, labels, dialogs). */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "text" && typeof inner === "string" ? [inner] : textsIn(inner),
  );
}

/** Every text of a reply: its fallback and all texts of its blocks. */
function allTexts(reply: Reply | types.View): string[] {
  return "text" in reply ? [reply.text, ...textsIn(reply.blocks)] : textsIn(reply.blocks);
}

/** The mrkdwn markup opsfeed itself may produce: trusted mentions, date tokens, safe links. */
const ALLOWED_MARKUP =
  /<@[UW][A-Z0-9]+>|<!date\^\d+\^[^|<>]*\|[^<>]*>|<https?:\/\/[^|<>\s]+(\|[^<>]*)?>/g;

/** Fails when a text carries any markup other than what opsfeed puts there itself. */
function expectHarmless(texts: string[]): void {
  for (const text of texts) {
    for (const forbidden of ["<!channel>", "<!here>", "<@U123>", "<https://evil.example"]) {
      expect(text).not.toContain(forbidden);
    }
    expect(text.replace(ALLOWED_MARKUP, ""), text).not.toContain("<");
  }
}

function blocksOf(reply: Reply | types.View): Block[] {
  return reply.blocks ?? [];
}

function blockById(reply: Reply | types.View, blockId: string): Block {
  const block = blocksOf(reply).find((candidate) => candidate.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block;
}

function mrkdwnOf(block: Block): string {
  if (block.type === "section" && "text" in block && block.text) return block.text.text;
  if (block.type === "context" && "elements" in block) {
    return (block.elements as { text?: string }[]).map((element) => element.text ?? "").join("");
  }
  throw new Error(`no mrkdwn in a ${block.type} block`);
}

/** Every interactive element of a block: an actions block's elements, a section's accessory. */
function elementsOf(block: Block): { action_id?: string; type: string }[] {
  if (block.type === "actions" && "elements" in block) return block.elements as never;
  if (block.type === "section" && "accessory" in block && block.accessory) {
    return [block.accessory as { action_id?: string; type: string }];
  }
  if (block.type === "input" && "element" in block) return [block.element as never];
  return [];
}

function buttonsOf(reply: Reply | types.View): types.Button[] {
  return blocksOf(reply)
    .flatMap(elementsOf)
    .filter((element): element is types.Button => element.type === "button");
}

/** Slack's structural limits, checked on every reply and view the tests make. */
function expectWithinSlackLimits(reply: Reply | types.View, maxBlocks: number): void {
  const blocks = blocksOf(reply);
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  const blockIds = blocks.map((block) => block.block_id);
  expect(blockIds.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
  expect(new Set(blockIds).size).toBe(blockIds.length);
  for (const block of blocks) {
    const actionIds = elementsOf(block).map((element) => element.action_id);
    expect(new Set(actionIds).size, block.block_id).toBe(actionIds.length);
    if (block.type === "header") expect(textsIn(block)[0]?.length).toBeLessThanOrEqual(150);
    if (block.type === "section") expect(mrkdwnOf(block).length).toBeLessThanOrEqual(3000);
  }
  for (const button of buttonsOf(reply)) {
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.action_id).toBeTruthy();
  }
  if ("text" in reply) expect(reply.text.length).toBeLessThanOrEqual(3000);
}

// ---------------------------------------------------------------------------------------

describe("articleLink", () => {
  it("shows the number and the title linked to the URL", () => {
    expect(articleLink(article())).toBe(
      "*#42* <https://blog.example.com/postmortem-cache|Postmortem: the cache that forgot>",
    );
  });

  it("escapes the title and the URL's ampersands, and flattens line breaks", () => {
    const link = articleLink(article({ title: "A & <b>\nc", url: "https://x.example/?a=1&b=2" }));
    expect(link).toBe("*#42* <https://x.example/?a=1&amp;b=2|A &amp; &lt;b&gt; c>");
  });

  it("leaves the title unlinked when the URL is not http(s) or is broken", () => {
    expect(articleLink(article({ url: "javascript:alert(1)" }))).toBe(
      "*#42* Postmortem: the cache that forgot",
    );
    expect(articleLink(article({ url: "not a url" }))).toBe(
      "*#42* Postmortem: the cache that forgot",
    );
  });

  it("links the bare URL when the title is empty", () => {
    expect(articleLink(article({ title: "  " }))).toBe(
      "*#42* <https://blog.example.com/postmortem-cache>",
    );
  });

  it("cannot be closed early by a | or > in the URL", () => {
    const link = articleLink(article({ url: "https://x.example/a|b>c" }));
    expect(link).toBe("*#42* <https://x.example/a%7Cb%3Ec|Postmortem: the cache that forgot>");
  });
});

describe("renderQueue", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderQueue(locale, smallQueue)).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot of the empty queue", (locale) => {
    expect(renderQueue(locale, queuePage(0))).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot of a middle page", (locale) => {
    // Pages of 3 keep the snapshot short; the paging maths is the same as with 20.
    expect(renderQueue(locale, queuePage(8, 3, 3))).toMatchSnapshot();
  });

  it("shows one section per entry with link, source, saved time and a Done button", () => {
    const reply = renderQueue("en", smallQueue);
    expect(blocksOf(reply).map((block) => block.block_id)).toEqual([
      "queue-header",
      "queue-reader",
      "queue-item-42",
      "queue-item-7",
      "queue-item-9",
    ]);
    expect(textsIn(blockById(reply, "queue-header"))[0]).toBe("Your read-later queue (3)");
    const item = mrkdwnOf(blockById(reply, "queue-item-42"));
    expect(item).toContain(articleLink(article()));
    expect(item).toContain("Example Engineering Blog · saved <!date^");
    expect(buttonsOf(reply)).toEqual([
      expect.objectContaining({ action_id: READER_ACTIONS.open, value: "0" }),
      ...[42, 7, 9].map((id) =>
        expect.objectContaining({ action_id: ARTICLE_ACTIONS.done, value: String(id) }),
      ),
    ]);
    expect(reply.text).toBe("Your read-later queue (3)");
  });

  it("tells how to add an article when the queue is empty", () => {
    const english = renderQueue("en", queuePage(0));
    expect(english.text).toContain("`/opsfeed later &lt;article&gt;`");
    expect(english.text).toContain("*Read later*");
    expect(buttonsOf(english)).toEqual([]);
    expect(renderQueue("ja", queuePage(0)).text).toContain("*あとで読む*");
  });

  it.each([
    { offset: 0, previous: null, next: "20", range: "1–20 of 57" },
    { offset: 20, previous: "0", next: "40", range: "21–40 of 57" },
    { offset: 40, previous: "20", next: null, range: "41–57 of 57" },
  ])("pages at offset $offset of 57", ({ offset, previous, next, range }) => {
    const reply = renderQueue("en", queuePage(57, offset));
    const paging = buttonsOf(reply).filter((b) => b.action_id === QUEUE_ACTIONS.queuePage);
    expect(paging.map((b) => [b.text.text, b.value])).toEqual(
      [
        previous === null ? null : ["← Previous", previous],
        next === null ? null : ["Next →", next],
      ].filter((pair) => pair !== null),
    );
    expect(mrkdwnOf(blockById(reply, "queue-range"))).toBe(range);
    expect(textsIn(blockById(reply, "queue-header"))[0]).toBe("Your read-later queue (57)");
    expectWithinSlackLimits(reply, 50);
  });

  it("writes the range in Japanese", () => {
    const reply = renderQueue("ja", queuePage(57, 20));
    expect(mrkdwnOf(blockById(reply, "queue-range"))).toBe("57 件中 21–40 件目");
  });

  it("shows no paging when the whole queue fits on one page", () => {
    const reply = renderQueue("en", queuePage(QUEUE_PAGE_SIZE));
    expect(blocksOf(reply).some((block) => block.block_id?.startsWith("queue-page"))).toBe(false);
    expect(blocksOf(reply).some((block) => block.block_id === "queue-range")).toBe(false);
  });

  it("leads back to the last page when the offset is past the end of a shrunk queue", () => {
    const reply = renderQueue("en", { ...queuePage(57, 60), items: [] });
    expect(buttonsOf(reply).map((b) => [b.action_id, b.value])).toEqual([
      [READER_ACTIONS.open, "0"],
      [QUEUE_ACTIONS.queuePage, "40"],
    ]);
    expect(mrkdwnOf(blockById(reply, "queue-page-empty"))).toContain("nothing on this page");
  });

  it("stays within 50 blocks even when handed far more than a page", () => {
    const reply = renderQueue("en", queuePage(500, 0, 200));
    expectWithinSlackLimits(reply, 50);
    expect(blocksOf(reply).at(-1)?.block_id).toBe("queue-page-next");
  });
});

describe("renderAssigned", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderAssigned(locale, assignedLists, TODAY)).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot of empty lists", (locale) => {
    expect(renderAssigned(locale, { toMe: [], byMe: [] }, TODAY)).toMatchSnapshot();
  });

  it("marks an assignment overdue only once its due date has passed", () => {
    const reply = renderAssigned(
      "en",
      {
        toMe: [
          assignment({ id: 1, dueDate: "2026-11-24" }),
          assignment({ id: 2, dueDate: TODAY }),
          assignment({ id: 3, dueDate: "2026-11-26" }),
          assignment({ id: 4, dueDate: null }),
        ],
        byMe: [assignment({ id: 5, dueDate: "2025-12-31" })],
      },
      TODAY,
    );
    const textOf = (id: string) => mrkdwnOf(blockById(reply, id));
    expect(textOf("assigned-to-me-1")).toContain("⚠️ overdue (due 2026-11-24)");
    expect(textOf("assigned-to-me-2")).toContain("⏰ due today");
    expect(textOf("assigned-to-me-3")).toContain("📅 due 2026-11-26");
    expect(textOf("assigned-to-me-4")).not.toMatch(/due|⚠️/);
    expect(textOf("assigned-by-me-5")).toContain("⚠️ overdue (due 2025-12-31)");
    for (const id of ["2", "3", "4"]) expect(textOf(`assigned-to-me-${id}`)).not.toContain("⚠️");
    const japanese = renderAssigned(
      "ja",
      { toMe: [assignment({ dueDate: "2026-11-01" })], byMe: [] },
      TODAY,
    );
    expect(mrkdwnOf(blockById(japanese, "assigned-to-me-5"))).toContain(
      "⚠️ 期限切れ (期限 2026-11-01)",
    );
  });

  it("shows who assigned each article with a Done button, and the assignee with a confirmed Cancel", () => {
    const reply = renderAssigned("en", assignedLists, TODAY);
    const mine = blockById(reply, "assigned-to-me-6");
    expect(mrkdwnOf(mine)).toContain(`from <@${CAROL}>`);
    expect(elementsOf(mine)).toEqual([
      expect.objectContaining({ action_id: ARTICLE_ACTIONS.done, value: "7" }),
    ]);
    const theirs = blockById(reply, "assigned-by-me-11");
    expect(mrkdwnOf(theirs)).toContain(`to <@${CAROL}>`);
    const [cancel] = elementsOf(theirs) as types.Button[];
    expect(cancel).toMatchObject({
      action_id: QUEUE_ACTIONS.cancelAssignment,
      value: "11",
      confirm: { style: "danger", confirm: { text: "Cancel assignment" } },
    });
    expect(cancel?.confirm?.text.text).toContain(`<@${CAROL}>`);
    expect(reply.text).toBe("Assigned to you: 3 · You assigned: 1");
  });

  it("quotes the note under the article", () => {
    const reply = renderAssigned(
      "en",
      { toMe: [assignment({ note: "one\r\ntwo" })], byMe: [] },
      TODAY,
    );
    expect(mrkdwnOf(blockById(reply, "assigned-to-me-5")).split("\n").slice(-2)).toEqual([
      "> one",
      "> two",
    ]);
  });

  it("caps a long list at 50 blocks with a '…and N more' line for each list", () => {
    const many = (count: number, from: number) =>
      Array.from({ length: count }, (_, index) => assignment({ id: from + index }));
    const reply = renderAssigned("en", { toMe: many(60, 1000), byMe: many(40, 2000) }, TODAY);
    expectWithinSlackLimits(reply, 50);
    const blocks = blocksOf(reply);
    expect(blocks).toHaveLength(50);
    const toMeShown = blocks.filter((b) => b.block_id?.startsWith("assigned-to-me-1")).length;
    const byMeShown = blocks.filter((b) => b.block_id?.startsWith("assigned-by-me-2")).length;
    expect(toMeShown + byMeShown).toBe(46);
    expect(byMeShown).toBeGreaterThan(20);
    expect(mrkdwnOf(blockById(reply, "assigned-to-me-more"))).toBe(`…and ${60 - toMeShown} more`);
    expect(mrkdwnOf(blockById(reply, "assigned-by-me-more"))).toBe(`…and ${40 - byMeShown} more`);
    expect(textsIn(blockById(reply, "assigned-to-me-header"))[0]).toBe("Assigned to you (60)");
  });

  it("keeps a short list whole beside a long one", () => {
    const reply = renderAssigned(
      "en",
      {
        toMe: Array.from({ length: 100 }, (_, index) => assignment({ id: index + 1 })),
        byMe: [assignment({ id: 500 })],
      },
      TODAY,
    );
    expectWithinSlackLimits(reply, 50);
    expect(blockById(reply, "assigned-by-me-500")).toBeDefined();
    expect(mrkdwnOf(blockById(reply, "assigned-to-me-more"))).toBe("…and 54 more");
  });
});

describe("renderComments", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderComments(locale, article(), threeComments)).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot without comments", (locale) => {
    expect(renderComments(locale, article(), [])).toMatchSnapshot();
  });

  it("shows author, time and text of each comment, oldest first as given", () => {
    const reply = renderComments("en", article(), threeComments);
    expect(blocksOf(reply).map((block) => block.block_id)).toEqual([
      "comments-heading",
      "comment-1",
      "comment-2",
      "comment-3",
    ]);
    expect(mrkdwnOf(blockById(reply, "comment-2"))).toMatch(
      /^<@U0BOB> · <!date\^\d+\^[^|]+\|2026-11-24 04:00 UTC>\nLine one\nLine two$/,
    );
    expect(reply.text).toBe(`💬 Comments on ${articleLink(article())} (3)`);
  });

  it("says how to comment when there is none yet", () => {
    const reply = renderComments("en", article(), []);
    expect(mrkdwnOf(blockById(reply, "comments-empty"))).toBe(
      "No comments yet — add one with `/opsfeed comment 42 &lt;text&gt;`.",
    );
  });

  it("shows the newest that fit in 50 blocks under a line counting the earlier ones", () => {
    const comments = Array.from({ length: 200 }, (_, index) =>
      comment({ id: index + 1, text: `comment ${index + 1}` }),
    );
    const reply = renderComments("en", article(), comments);
    expectWithinSlackLimits(reply, 50);
    const blocks = blocksOf(reply);
    expect(blocks).toHaveLength(50);
    expect(blocks[1]?.block_id).toBe("comments-hidden");
    expect(mrkdwnOf(blockById(reply, "comments-hidden"))).toBe("152 earlier comments not shown");
    expect(blocks[2]?.block_id).toBe("comment-153");
    expect(blocks.at(-1)?.block_id).toBe("comment-200");
    expect(mrkdwnOf(blockById(reply, "comments-heading"))).toContain("(200)");
  });

  it("shows 49 comments without a 'not shown' line, and says 'comment' for one hidden", () => {
    const make = (count: number) =>
      Array.from({ length: count }, (_, index) => comment({ id: index + 1 }));
    const all = renderComments("en", article(), make(49));
    expect(blocksOf(all)).toHaveLength(50);
    expect(blocksOf(all).some((block) => block.block_id === "comments-hidden")).toBe(false);
    const one = renderComments("en", article(), make(50));
    expect(blocksOf(one)).toHaveLength(50);
    const hidden = mrkdwnOf(blockById(one, "comments-hidden"));
    expect(hidden).toBe("2 earlier comments not shown");
    expect(renderComments("ja", article(), make(200)).blocks?.[1]).toMatchObject({
      elements: [{ text: "以前のコメント 152 件は表示していません" }],
    });
  });

  it("keeps every section within 3,000 characters however long the comments", () => {
    const longest = "<&>".repeat(MAX_COMMENT_LENGTH / 3);
    const reply = renderComments(
      "en",
      article({ title: "&".repeat(2000), url: `https://x.example/${"a".repeat(5000)}` }),
      Array.from({ length: 60 }, (_, index) => comment({ id: index + 1, text: longest })),
    );
    expectWithinSlackLimits(reply, 50);
    expectHarmless(allTexts(reply));
  });
});

describe("renderCommentInThread", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(
      renderCommentInThread(locale, ALICE, "Same here.\nWe fixed it with jitter."),
    ).toMatchSnapshot();
  });

  it("mentions the author and quotes the text, line by line", () => {
    const reply = renderCommentInThread("en", ALICE, "one\ntwo");
    expect(reply.text).toBe(`<@${ALICE}> commented:\n> one\n> two`);
    expect(textsIn(reply.blocks)).toEqual([reply.text]);
  });

  it("shows an id that is not a Slack user id as text, not as a mention", () => {
    const reply = renderCommentInThread("en", "<!channel>", "hi");
    expect(reply.text).toBe("&lt;!channel&gt; commented:\n> hi");
  });
});

describe("renderAssignmentDm", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderAssignmentDm(locale, assignment())).toMatchSnapshot();
  });

  it("says who assigned what, with the source, due date, quoted note, Done and Read later", () => {
    const reply = renderAssignmentDm("en", assignment());
    expect(mrkdwnOf(blockById(reply, "assignment-5-text"))).toBe(
      [
        `<@${ALICE}> assigned you an article:`,
        articleLink(article()),
        "Example Engineering Blog",
        "📅 due 2026-11-27",
        "> Worth reading before Thursday's review.",
      ].join("\n"),
    );
    expect(buttonsOf(reply).map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      [ARTICLE_ACTIONS.done, "42", "Done"],
      [ARTICLE_ACTIONS.readLater, "42", "Read later"],
    ]);
    expect(reply.text).toBe(`<@${ALICE}> assigned you #42 Postmortem: the cache that forgot`);
  });

  it("leaves out what is not set", () => {
    const reply = renderAssignmentDm(
      "ja",
      assignment({ note: null, dueDate: null, article: article({ source: null }) }),
    );
    expect(mrkdwnOf(blockById(reply, "assignment-5-text"))).toBe(
      [`<@${ALICE}> さんから記事が割り当てられました:`, articleLink(article())].join("\n"),
    );
    expect(buttonsOf(reply).map((b) => b.text.text)).toEqual(["既読にする", "あとで読む"]);
  });

  it("keeps a note of the longest allowed escaped length within the limits", () => {
    const reply = renderAssignmentDm("en", assignment({ note: "&\n".repeat(MAX_NOTE_LENGTH / 2) }));
    expectWithinSlackLimits(reply, 50);
  });
});

describe("assignment notices", () => {
  it.each(LOCALES)("matches the %s snapshot of the done notice", (locale) => {
    expect(renderAssignmentDoneNotice(locale, assignment())).toMatchSnapshot();
  });

  it("tells the assigner who finished what", () => {
    expect(renderAssignmentDoneNotice("en", assignment()).text).toBe(
      `✅ <@${BOB}> finished reading ${articleLink(article())}, which you assigned.`,
    );
  });

  it.each(LOCALES)("matches the %s snapshot of the cancelled notices", (locale) => {
    expect(
      [ALICE, BOB, CAROL].map((by) => renderAssignmentCancelledNotice(locale, assignment(), by)),
    ).toMatchSnapshot();
  });

  it("words the cancellation by who cancelled it", () => {
    const link = articleLink(article());
    expect(renderAssignmentCancelledNotice("en", assignment(), ALICE).text).toBe(
      `<@${ALICE}> cancelled the assignment of ${link} to you.`,
    );
    expect(renderAssignmentCancelledNotice("en", assignment(), BOB).text).toBe(
      `<@${BOB}> cancelled the assignment of ${link}, which you had assigned to them.`,
    );
    expect(renderAssignmentCancelledNotice("en", assignment(), CAROL).text).toBe(
      `<@${CAROL}> cancelled the assignment of ${link} to <@${BOB}>.`,
    );
  });
});

describe("modals", () => {
  it.each(LOCALES)("matches the %s snapshot of the assign modal", (locale) => {
    expect(renderAssignModal(locale, article(), modalContext)).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot of the comment modal", (locale) => {
    expect(renderCommentModal(locale, article(), modalContext)).toMatchSnapshot();
  });

  const modals = LOCALES.flatMap((locale) => [
    [`assign (${locale})`, renderAssignModal(locale, article(), modalContext)] as const,
    [`comment (${locale})`, renderCommentModal(locale, article(), modalContext)] as const,
  ]);

  it.each(modals)("keeps Slack's limits: %s", (_, view) => {
    expect(view.type).toBe("modal");
    for (const label of [view.title, view.submit, view.close]) {
      expect(label?.type).toBe("plain_text");
      expect(label?.text.length).toBeGreaterThan(0);
      expect(label?.text.length).toBeLessThanOrEqual(24);
    }
    expectWithinSlackLimits(view, 100);
    // In a modal, action ids are unique across the view too, so submissions are unambiguous.
    const actionIds = blocksOf(view).flatMap((block) => elementsOf(block).map((e) => e.action_id));
    expect(new Set(actionIds).size).toBe(actionIds.length);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual(modalContext);
    expect(mrkdwnOf(blockById(view, "article"))).toContain(articleLink(article()));
  });

  it("asks for a teammate (required), a note and a due date (optional)", () => {
    const view = renderAssignModal("en", article(), { articleId: 42, channelId: null });
    const ids = QUEUE_VIEWS.assign;
    expect(view.callback_id).toBe(ids.callbackId);
    expect(view.private_metadata).toBe('{"articleId":42,"channelId":null}');
    expect(blockById(view, ids.assigneeBlock)).toMatchObject({
      type: "input",
      optional: false,
      element: { type: "users_select", action_id: ids.assigneeAction },
    });
    expect(blockById(view, ids.noteBlock)).toMatchObject({
      type: "input",
      optional: true,
      element: {
        type: "plain_text_input",
        action_id: ids.noteAction,
        multiline: true,
        max_length: MAX_NOTE_LENGTH,
      },
    });
    expect(blockById(view, ids.dueBlock)).toMatchObject({
      type: "input",
      optional: true,
      element: { type: "datepicker", action_id: ids.dueAction },
    });
  });

  it("asks for one required multi-line comment", () => {
    const view = renderCommentModal("ja", article(), modalContext);
    const ids = QUEUE_VIEWS.comment;
    expect(view.callback_id).toBe(ids.callbackId);
    expect(view.title.text).toBe("コメント");
    expect(blockById(view, ids.textBlock)).toMatchObject({
      type: "input",
      optional: false,
      element: {
        type: "plain_text_input",
        action_id: ids.textAction,
        multiline: true,
        max_length: MAX_COMMENT_LENGTH,
      },
    });
  });
});

describe("renderHome", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderHome(locale, smallQueue, assignedLists, TODAY)).toMatchSnapshot();
  });

  it.each(LOCALES)("matches the %s snapshot of an empty home", (locale) => {
    expect(renderHome(locale, queuePage(0), { toMe: [], byMe: [] }, TODAY)).toMatchSnapshot();
  });

  it("shows the first page with Done buttons and counts the rest of the queue", () => {
    const view = renderHome("en", queuePage(57), assignedLists, TODAY);
    expect(view.type).toBe("home");
    expectWithinSlackLimits(view, 100);
    const queueItems = blocksOf(view).filter((b) => b.block_id?.startsWith("home-queue-1"));
    expect(queueItems).toHaveLength(QUEUE_PAGE_SIZE);
    expect(mrkdwnOf(blockById(view, "home-queue-more"))).toBe(
      "…and 37 more. `/opsfeed later` lists them all.",
    );
    expect(mrkdwnOf(blockById(view, "home-assigned-6"))).toContain("⚠️ overdue");
    expect(elementsOf(blockById(view, "home-assigned-6"))).toEqual([
      expect.objectContaining({ action_id: ARTICLE_ACTIONS.done, value: "7" }),
    ]);
    expect(blocksOf(view).at(-1)?.block_id).toBe("home-how-to");
    // What the user assigned to others belongs to `/opsfeed assigned`, not the home tab.
    expect(buttonsOf(view).some((b) => b.action_id === QUEUE_ACTIONS.cancelAssignment)).toBe(false);
  });

  it("stays within 100 blocks with a huge queue page and many assignments", () => {
    const toMe = Array.from({ length: 150 }, (_, index) => assignment({ id: index + 1 }));
    const view = renderHome("ja", queuePage(400, 0, 120), { toMe, byMe: [] }, TODAY);
    expectWithinSlackLimits(view, 100);
    expect(blocksOf(view)).toHaveLength(100);
    expect(mrkdwnOf(blockById(view, "home-assigned-more"))).toMatch(/^…ほか \d+ 件。/);
    expect(mrkdwnOf(blockById(view, "home-queue-more"))).toMatch(/^…ほか \d+ 件。/);
  });
});

describe("hostile feed and user text", () => {
  const hostileArticle = article({
    title: HOSTILE,
    source: HOSTILE,
    url: "https://blog.example.com/a?x=<!channel>&y=|z",
  });
  const hostileAssignment = assignment({ article: hostileArticle, note: `${HOSTILE}\n${HOSTILE}` });
  const hostileComments = [comment({ text: HOSTILE }), comment({ id: 2, text: `>${HOSTILE}` })];
  const hostileQueue: QueuePage = {
    items: [{ article: hostileArticle, savedAt: "2026-11-24T22:15:00Z" }],
    total: 41,
    offset: 20,
    pageSize: QUEUE_PAGE_SIZE,
  };
  const hostileLists = { toMe: [hostileAssignment], byMe: [{ ...hostileAssignment, id: 6 }] };

  const rendered = (locale: Locale): [string, Reply | types.View][] => [
    ["queue", renderQueue(locale, hostileQueue)],
    ["assigned", renderAssigned(locale, hostileLists, TODAY)],
    ["comments", renderComments(locale, hostileArticle, hostileComments)],
    ["comment in thread", renderCommentInThread(locale, ALICE, HOSTILE)],
    ["DM", renderAssignmentDm(locale, hostileAssignment)],
    ["done notice", renderAssignmentDoneNotice(locale, hostileAssignment)],
    ["cancelled notice", renderAssignmentCancelledNotice(locale, hostileAssignment, ALICE)],
    ["assign modal", renderAssignModal(locale, hostileArticle, modalContext)],
    ["comment modal", renderCommentModal(locale, hostileArticle, modalContext)],
    ["home", renderHome(locale, hostileQueue, hostileLists, TODAY)],
  ];

  it.each(
    LOCALES.flatMap((locale) =>
      rendered(locale).map(([name, reply]) => [locale, name, reply] as const),
    ),
  )("%s %s: no markup survives in blocks or text", (_, __, reply) => {
    const texts = allTexts(reply);
    expectHarmless(texts);
    // The escaped forms are what people see instead.
    expect(texts.join("\n")).toContain("&lt;!channel&gt;");
  });

  it("shows the hostile text escaped, never dropped", () => {
    const reply = renderComments("en", article(), [comment({ text: HOSTILE })]);
    expect(mrkdwnOf(blockById(reply, "comment-1")).split("\n")[1]).toBe(
      "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|x&gt; &amp; co",
    );
  });

  it("puts a URL with markup in it only inside a well-formed link", () => {
    expect(articleLink(hostileArticle)).toMatch(
      /^\*#42\* <https:\/\/blog\.example\.com\/a\?x=%3C!channel%3E&amp;y=%7Cz\|&lt;!channel&gt;/,
    );
  });
});

describe("the catalog's queue messages", () => {
  it.each(LOCALES)("fill every placeholder (%s)", (locale) => {
    const replies = [
      renderQueue(locale, queuePage(57, 20)),
      renderQueue(locale, queuePage(0)),
      renderAssigned(locale, assignedLists, TODAY),
      renderAssigned(locale, { toMe: [], byMe: [] }, TODAY),
      renderComments(locale, article(), threeComments),
      renderComments(locale, article(), []),
      renderAssignmentDm(locale, assignment()),
      renderAssignmentDoneNotice(locale, assignment()),
      ...[ALICE, BOB, CAROL].map((by) => renderAssignmentCancelledNotice(locale, assignment(), by)),
      renderAssignModal(locale, article(), modalContext),
      renderCommentModal(locale, article(), modalContext),
      renderHome(locale, queuePage(57), assignedLists, TODAY),
    ];
    for (const reply of replies) {
      // Slack's own date tokens carry {date_short_pretty} and {time}; nothing else may.
      const texts = allTexts(reply).map((text) => text.replace(/<!date\^[^>]*>/g, ""));
      for (const text of texts) expect(text).not.toMatch(/\{\w+\}/);
    }
  });
});
