import { describe, expect, it } from "vitest";
import { LOCALES } from "../src/i18n/locale.js";
import type { AssignmentView, ReaderPage, WeeklyReport } from "../src/queue/types.js";
import { READER_ACTIONS, REMINDER_ACTIONS } from "../src/slack/ids.js";
import { renderReader, renderReaderRefusal } from "../src/slack/render/reader.js";
import { renderReminder, renderSnoozed } from "../src/slack/render/reminder.js";
import { renderReport } from "../src/slack/render/report.js";

/* The renderers of reminders, the reader and the weekly report: snapshots, escaping, limits. */

const hostile = {
  id: 42,
  title: "Postmortem <!channel> & <@U123> *bold*",
  url: "https://blog.example.com/postmortem?a=1&b=<2>",
  source: "Ops <!here> blog",
  bookmarkCount: 128,
};

const assignment: AssignmentView = {
  id: 7,
  article: hostile,
  assigneeId: "UKENJI",
  assignerId: "UALICE",
  note: "Read before <!everyone> standup",
  dueDate: "2026-11-26",
  status: "open",
  createdAt: "2026-11-25T10:00:00.000Z",
};

const page: ReaderPage = {
  position: 1,
  total: 3,
  entry: {
    article: hostile,
    summary: "Summary with <https://evil.example|a link> and <!subteam^S1>",
    bookmarkCommentsUrl: "https://b.hatena.example/entry/s/blog.example.com/postmortem",
    savedAt: "2026-11-25T09:00:00.000Z",
    activity: { savedCount: 2, commentCount: 1, assigneeIds: ["UBOB"], doneCount: 0 },
  },
};

function report(overrides: Partial<WeeklyReport> = {}): WeeklyReport {
  return {
    channelId: "C_OPS",
    from: "2026-11-18T10:00:00.000Z",
    to: "2026-11-25T10:00:00.000Z",
    timeZone: "Asia/Tokyo",
    postedCount: 12,
    mostSaved: [{ article: hostile, count: 3 }],
    savedArticles: 1,
    mostDiscussed: [{ article: { ...hostile, id: 43 }, count: 5 }],
    discussedArticles: 7,
    assignments: { opened: 2, done: 1, overdue: 1 },
    failedFeeds: [
      {
        title: "Status <!channel>",
        url: "https://status.example/feed",
        errorCode: "fetch.http-status",
        errorParams: { status: 503 },
        failures: 4,
        failingSince: "2026-11-24T00:00:00.000Z",
      },
    ],
    schedule: {
      weekday: 5,
      hour: 17,
      minute: 0,
      timeZone: "Asia/Tokyo",
      nextAt: "2026-11-27T08:00:00.000Z",
    },
    ...overrides,
  };
}

/** Every mrkdwn and plain text of a set of blocks. */
function allText(value: unknown): string {
  return JSON.stringify(value);
}

function expectNoRawMentions(value: unknown): void {
  const json = allText(value);
  for (const raw of ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam^S1>"]) {
    expect(json).not.toContain(raw);
  }
}

describe("renderReminder", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderReminder(locale, assignment, 1)).toMatchSnapshot();
    expect(renderReminder(locale, assignment, 2)).toMatchSnapshot();
  });

  it("escapes what came from feeds and people, and carries Done and Snooze for this due date", () => {
    const reply = renderReminder("en", assignment, 1);
    expectNoRawMentions(reply);
    const json = allText(reply.blocks);
    expect(json).toContain(`"action_id":"${REMINDER_ACTIONS.done}","text"`);
    expect(json).toContain('"value":"7:2026-11-26"');
    expect(reply.text).toContain("2026-11-26");
    expect(allText(renderSnoozed("ja", { ...assignment, dueDate: "2026-11-27" }, true))).toContain(
      "2026-11-27",
    );
  });
});

describe("renderReader", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderReader(locale, page, "UALICE")).toMatchSnapshot();
    expect(
      renderReader(locale, { position: 0, total: 0, entry: null }, "UALICE"),
    ).toMatchSnapshot();
  });

  it("escapes, keeps its state in private_metadata, and stays within a modal's limits", () => {
    const view = renderReader("en", page, "UALICE");
    expectNoRawMentions(view);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({
      userId: "UALICE",
      position: 1,
      articleId: 42,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const long = renderReader(
      "en",
      {
        ...page,
        entry: page.entry && {
          ...page.entry,
          article: {
            ...hostile,
            title: "t".repeat(5000),
            url: `https://x.example/${"p".repeat(4000)}`,
          },
          summary: "s".repeat(10_000),
        },
      },
      "UALICE",
    );
    for (const block of long.blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? "";
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    // A URL too long for a button gets none.
    expect(allText(long.blocks)).not.toContain(READER_ACTIONS.link);
    expect(renderReaderRefusal("ja", "UALICE", "だめ").blocks).toHaveLength(1);
  });
});

describe("renderReport", () => {
  it.each(LOCALES)("matches the %s snapshot", (locale) => {
    expect(renderReport(locale, report())).toMatchSnapshot();
    expect(
      renderReport(
        locale,
        report({
          postedCount: 0,
          mostSaved: [],
          savedArticles: 0,
          mostDiscussed: [],
          discussedArticles: 0,
          assignments: { opened: 0, done: 0, overdue: 0 },
          failedFeeds: [],
          schedule: null,
        }),
      ),
    ).toMatchSnapshot();
  });

  it("escapes feed and article text and stays within 50 blocks with the longest lists", () => {
    const five = Array.from({ length: 5 }, (_, i) => ({
      article: {
        ...hostile,
        id: 100 + i,
        title: "x".repeat(3000),
        url: `https://x.example/${"p".repeat(999)}`,
      },
      count: 10 - i,
    }));
    const feeds = Array.from({ length: 20 }, (_, i) => ({
      ...report().failedFeeds[0],
      title: "f".repeat(3000),
      url: `https://status${i}.example/${"q".repeat(900)}`,
    })) as WeeklyReport["failedFeeds"];
    const reply = renderReport(
      "en",
      report({
        mostSaved: five,
        savedArticles: 995,
        mostDiscussed: five,
        discussedArticles: 5,
        failedFeeds: feeds,
      }),
    );
    expectNoRawMentions(renderReport("en", report()));
    expect(reply.blocks?.length).toBeLessThanOrEqual(50);
    for (const block of reply.blocks ?? []) {
      const text = (block as { text?: { text: string } }).text?.text ?? "";
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(allText(reply)).toContain("…and 990 more articles");
    expect(allText(reply)).toContain("…and 15 more failing feeds");
  });
});
