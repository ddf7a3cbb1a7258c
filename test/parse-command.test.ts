import { describe, expect, it } from "vitest";
import {
  type Command,
  type ParseError,
  type ParseErrorCode,
  parseCommand,
  SUBCOMMANDS,
  type Subcommand,
} from "../src/commands/parse-command.js";

/** The command `text` parses to; fails the test if it does not parse. */
function parsed(text: string): Command {
  const result = parseCommand(text);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.code}`);
  return result.command;
}

/** The error `text` fails with; fails the test if it parses. */
function failure(text: string): ParseError {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return result.error;
}

type ErrorCase = [
  text: string,
  code: ParseErrorCode,
  subcommand: Subcommand | null,
  detail: string,
];

function expectErrors(cases: ErrorCase[]): void {
  it.each(cases)("%j fails with %s", (text, code, subcommand, detail) => {
    expect(failure(text)).toEqual({ code, subcommand, detail });
  });
}

describe("help and the tokenizer", () => {
  it.each(["", "   ", "\n\t ", "\u3000", "help", "HELP", "help me please", "Help subscribe"])(
    "%j is help",
    (text) => {
      expect(parsed(text)).toEqual({ name: "help" });
    },
  );

  it("treats subcommand names case-insensitively", () => {
    expect(parsed("LIST")).toEqual({ name: "list" });
    expect(parsed("Digest Now")).toEqual({ name: "digest-now" });
    expect(parsed("ASSIGNED")).toEqual({ name: "assigned" });
  });

  it("folds full-width letters a Japanese IME may type", () => {
    expect(parsed("ｌｉｓｔ")).toEqual({ name: "list" });
  });

  it("separates tokens by any whitespace, including the full-width space", () => {
    expect(parsed("later\u3000#7")).toEqual({
      name: "later-add",
      article: { kind: "number", id: 7 },
    });
    expect(parsed("  done\t\n 42  ")).toEqual({
      name: "done",
      article: { kind: "number", id: 42 },
    });
    expect(parsed("digest\u3000at\u30009:00\u3000daily")).toMatchObject({ name: "digest-at" });
  });

  it("recognises every subcommand it lists in the help, and only those", () => {
    for (const subcommand of SUBCOMMANDS) {
      const result = parseCommand(subcommand);
      expect(result.ok ? null : result.error.code, subcommand).not.toBe("unknown-subcommand");
    }
    const unknown = parseCommand("subscriptions");
    expect(unknown.ok ? null : unknown.error.code).toBe("unknown-subcommand");
  });

  expectErrors([
    ["foo", "unknown-subcommand", null, "foo"],
    ["subscribes https://x.example", "unknown-subcommand", null, "subscribes"],
    ["<https://x.example/feed>", "unknown-subcommand", null, "<https://x.example/feed>"],
    ["購読 https://x.example", "unknown-subcommand", null, "購読"],
  ]);
});

describe("subscribe", () => {
  it("accepts a bare URL with no options", () => {
    expect(parsed("subscribe https://x.example/feed.xml")).toEqual({
      name: "subscribe",
      feedUrl: "https://x.example/feed.xml",
      include: [],
      exclude: [],
      minBookmarks: null,
      realtime: false,
      mention: null,
    });
  });

  it("unwraps a Slack-wrapped URL and unescapes &amp;", () => {
    expect(parsed("subscribe <https://x.example/a?b=1&amp;c=2>")).toMatchObject({
      feedUrl: "https://x.example/a?b=1&c=2",
    });
  });

  it("takes the URL, not the label, of a labelled Slack link", () => {
    expect(parsed("subscribe <http://x.example/rss|x.example/rss>")).toMatchObject({
      feedUrl: "http://x.example/rss",
    });
  });

  it("unescapes &amp; in a bare URL", () => {
    expect(parsed("subscribe https://x.example/?q=a&amp;lang=ja")).toMatchObject({
      feedUrl: "https://x.example/?q=a&lang=ja",
    });
  });

  it("accepts all options in any order", () => {
    expect(parsed("subscribe https://x.example min:3 exclude:ads include:rust,go")).toEqual({
      name: "subscribe",
      feedUrl: "https://x.example",
      include: ["rust", "go"],
      exclude: ["ads"],
      minBookmarks: 3,
      realtime: false,
      mention: null,
    });
  });

  it("splits Japanese words on the Japanese comma and trims them", () => {
    expect(
      parsed("subscribe https://b.hatena.ne.jp/hotentry/it.rss include:機械学習、 AI ,,生成AI"),
    ).toMatchObject({
      include: ["機械学習", "AI", "生成AI"],
    });
  });

  it("lets a word list continue after a space following a comma or colon", () => {
    expect(parsed("subscribe https://x.example include:a, b exclude: c,d")).toMatchObject({
      include: ["a", "b"],
      exclude: ["c", "d"],
    });
  });

  it("accepts option names in any case and a full-width colon", () => {
    expect(parsed("subscribe https://x.example Include：障害 MIN:0")).toMatchObject({
      include: ["障害"],
      minBookmarks: 0,
    });
  });

  it("accepts min:100000 but nothing larger", () => {
    expect(parsed("subscribe https://x.example min:100000")).toMatchObject({
      minBookmarks: 100000,
    });
    expect(failure("subscribe https://x.example min:100001").code).toBe("invalid-min");
  });

  it("unescapes Slack entities in filter words", () => {
    expect(parsed("subscribe https://x.example include:AT&amp;T")).toMatchObject({
      include: ["AT&T"],
    });
  });

  expectErrors([
    ["subscribe", "missing-argument", "subscribe", "<feed-url>"],
    ["subscribe x.example/feed", "invalid-url", "subscribe", "x.example/feed"],
    ["subscribe ftp://x.example/feed", "invalid-url", "subscribe", "ftp://x.example/feed"],
    [
      "subscribe <mailto:a@x.example|a@x.example>",
      "invalid-url",
      "subscribe",
      "<mailto:a@x.example|a@x.example>",
    ],
    ["subscribe http:x.example", "invalid-url", "subscribe", "http:x.example"],
    ["subscribe https://", "invalid-url", "subscribe", "https://"],
    ["subscribe include:a https://x.example", "invalid-url", "subscribe", "include:a"],
    ["subscribe https://x.example foo:bar", "invalid-option", "subscribe", "foo:bar"],
    ["subscribe https://x.example include:a include:b", "invalid-option", "subscribe", "include:b"],
    ["subscribe https://x.example min:1 min:2", "invalid-option", "subscribe", "min:2"],
    ["subscribe https://x.example include:", "invalid-option", "subscribe", "include:"],
    ["subscribe https://x.example exclude:,、", "invalid-option", "subscribe", "exclude:,、"],
    ["subscribe https://x.example min:", "invalid-min", "subscribe", "min:"],
    ["subscribe https://x.example min:-1", "invalid-min", "subscribe", "min:-1"],
    ["subscribe https://x.example min:1.5", "invalid-min", "subscribe", "min:1.5"],
    ["subscribe https://x.example min:ten", "invalid-min", "subscribe", "min:ten"],
    ["subscribe https://x.example extra", "unexpected-argument", "subscribe", "extra"],
    ["subscribe https://x.example include:a b", "unexpected-argument", "subscribe", "b"],
    ["subscribe https://x.example min:1 ,a", "unexpected-argument", "subscribe", ",a"],
    [
      "subscribe https://a.example https://b.example",
      "unexpected-argument",
      "subscribe",
      "https://b.example",
    ],
  ]);
});

describe("unsubscribe", () => {
  it("accepts a subscription id, with or without #", () => {
    expect(parsed("unsubscribe 3")).toEqual({ name: "unsubscribe", target: { kind: "id", id: 3 } });
    expect(parsed("unsubscribe #3")).toEqual({
      name: "unsubscribe",
      target: { kind: "id", id: 3 },
    });
  });

  it("accepts a feed URL, wrapped or bare", () => {
    expect(parsed("unsubscribe <https://x.example/feed?a=1&amp;b=2>")).toEqual({
      name: "unsubscribe",
      target: { kind: "url", url: "https://x.example/feed?a=1&b=2" },
    });
    expect(parsed("unsubscribe https://x.example/feed")).toEqual({
      name: "unsubscribe",
      target: { kind: "url", url: "https://x.example/feed" },
    });
  });

  expectErrors([
    ["unsubscribe", "missing-argument", "unsubscribe", "<subscription-id or feed-url>"],
    ["unsubscribe 0", "invalid-subscription", "unsubscribe", "0"],
    ["unsubscribe -2", "invalid-subscription", "unsubscribe", "-2"],
    ["unsubscribe feed", "invalid-subscription", "unsubscribe", "feed"],
    [
      "unsubscribe 99999999999999999999",
      "invalid-subscription",
      "unsubscribe",
      "99999999999999999999",
    ],
    ["unsubscribe 3 4", "unexpected-argument", "unsubscribe", "4"],
  ]);
});

describe("list and assigned take no arguments", () => {
  it("parses them", () => {
    expect(parsed("list")).toEqual({ name: "list" });
    expect(parsed("assigned")).toEqual({ name: "assigned" });
  });

  expectErrors([
    ["list foo", "unexpected-argument", "list", "foo"],
    ["list all now", "unexpected-argument", "list", "all"],
    ["assigned x", "unexpected-argument", "assigned", "x"],
  ]);
});

describe("digest", () => {
  it("shows the schedule when alone", () => {
    expect(parsed("digest")).toEqual({ name: "digest-show" });
  });

  it("parses now and off", () => {
    expect(parsed("digest now")).toEqual({ name: "digest-now" });
    expect(parsed("digest OFF")).toEqual({ name: "digest-off" });
  });

  it("parses at with a time only, keeping days and zone", () => {
    expect(parsed("digest at 9:05")).toEqual({
      name: "digest-at",
      hour: 9,
      minute: 5,
      days: null,
      timeZone: null,
    });
  });

  it("parses at with days and a zone, canonicalising the zone", () => {
    expect(parsed("digest at 18:30 weekdays asia/tokyo")).toEqual({
      name: "digest-at",
      hour: 18,
      minute: 30,
      days: "weekdays",
      timeZone: "Asia/Tokyo",
    });
  });

  it("accepts a zone without days", () => {
    expect(parsed("digest at 07:00 UTC")).toMatchObject({ days: null, timeZone: "UTC" });
    expect(parsed("digest at 0:00 Europe/London")).toMatchObject({
      hour: 0,
      minute: 0,
      timeZone: "Europe/London",
    });
  });

  it("accepts days without a zone, in any case", () => {
    expect(parsed("digest at 23:59 DAILY")).toMatchObject({
      hour: 23,
      minute: 59,
      days: "daily",
      timeZone: null,
    });
  });

  it("folds a full-width time typed with a Japanese IME", () => {
    expect(parsed("digest at ９：００")).toMatchObject({ hour: 9, minute: 0 });
  });

  expectErrors([
    ["digest foo", "unexpected-argument", "digest", "foo"],
    ["digest now please", "unexpected-argument", "digest", "please"],
    ["digest off now", "unexpected-argument", "digest", "now"],
    ["digest at", "missing-argument", "digest", "HH:MM"],
    ["digest at 24:00", "invalid-time", "digest", "24:00"],
    ["digest at 9:5", "invalid-time", "digest", "9:5"],
    ["digest at 9am", "invalid-time", "digest", "9am"],
    ["digest at 9:60", "invalid-time", "digest", "9:60"],
    ["digest at 09:00:00", "invalid-time", "digest", "09:00:00"],
    ["digest at 123:00", "invalid-time", "digest", "123:00"],
    ["digest at weekdays", "invalid-time", "digest", "weekdays"],
    ["digest at 9:00 weekly", "invalid-days", "digest", "weekly"],
    ["digest at 9:00 weekly Asia/Tokyo", "invalid-days", "digest", "weekly"],
    ["digest at 9:00 Mars/Olympus", "invalid-time-zone", "digest", "Mars/Olympus"],
    ["digest at 9:00 daily Mars/Olympus", "invalid-time-zone", "digest", "Mars/Olympus"],
    ["digest at 9:00 daily +09:00", "invalid-time-zone", "digest", "+09:00"],
    ["digest at 9:00 Asia/Tokyo weekdays", "unexpected-argument", "digest", "weekdays"],
    ["digest at 9:00 daily UTC extra", "unexpected-argument", "digest", "extra"],
  ]);
});

describe("later and done", () => {
  it("lists the queue when later is alone", () => {
    expect(parsed("later")).toEqual({ name: "later-list" });
  });

  it("adds an article by number, #number or URL", () => {
    expect(parsed("later 42")).toEqual({ name: "later-add", article: { kind: "number", id: 42 } });
    expect(parsed("later #42")).toEqual({ name: "later-add", article: { kind: "number", id: 42 } });
    expect(parsed("later <https://news.example/a?id=1&amp;ref=rss>")).toEqual({
      name: "later-add",
      article: { kind: "url", url: "https://news.example/a?id=1&ref=rss" },
    });
    expect(parsed("later https://news.example/a")).toEqual({
      name: "later-add",
      article: { kind: "url", url: "https://news.example/a" },
    });
  });

  it("marks an article done", () => {
    expect(parsed("done #7")).toEqual({ name: "done", article: { kind: "number", id: 7 } });
    expect(parsed("done <http://x.example/p|x.example/p>")).toEqual({
      name: "done",
      article: { kind: "url", url: "http://x.example/p" },
    });
  });

  expectErrors([
    ["later abc", "invalid-article", "later", "abc"],
    ["later 0", "invalid-article", "later", "0"],
    ["later #", "invalid-article", "later", "#"],
    ["later 4.2", "invalid-article", "later", "4.2"],
    ["later 1 2", "unexpected-argument", "later", "2"],
    ["done", "missing-argument", "done", "<article>"],
    ["done -1", "invalid-article", "done", "-1"],
    ["done ftp://x.example/a", "invalid-article", "done", "ftp://x.example/a"],
    ["done 1 2", "unexpected-argument", "done", "2"],
  ]);
});

describe("assign", () => {
  it("accepts a mention with a name, an article and a note", () => {
    expect(parsed("assign <@U123ABC|alice> #42 please   check\nthis  ")).toEqual({
      name: "assign",
      assignee: { userId: "U123ABC", name: "alice" },
      article: { kind: "number", id: 42 },
      note: "please   check\nthis",
      due: null,
    });
  });

  it("accepts a mention without a name, a W user id, and no note", () => {
    expect(parsed("assign <@W0ENT> https://x.example/a")).toEqual({
      name: "assign",
      assignee: { userId: "W0ENT", name: null },
      article: { kind: "url", url: "https://x.example/a" },
      note: null,
      due: null,
    });
  });

  it("takes due: from anywhere after the article, out of the note", () => {
    expect(parsed("assign <@U1> 42 due:tomorrow read the summary")).toMatchObject({
      note: "read the summary",
      due: { kind: "offset", days: 1 },
    });
    expect(parsed("assign <@U1> 42 read  due:2026-12-24  the summary")).toMatchObject({
      note: "read the summary",
      due: { kind: "date", date: "2026-12-24" },
    });
    expect(parsed("assign <@U1> 42 please\nread due：金曜")).toMatchObject({
      note: "please\nread",
      due: { kind: "weekday", weekday: 5 },
    });
    expect(parsed("assign <@U1> 42 DUE:１２－２４")).toMatchObject({
      note: null,
      due: { kind: "month-day", month: 12, day: 24 },
    });
  });

  it("accepts a note of exactly 500 characters, Japanese included, but not 501", () => {
    const note = "確".repeat(500);
    expect(parsed(`assign <@U1> 1 ${note}`)).toMatchObject({ note });
    expect(failure(`assign <@U1> 1 ${note}x`)).toEqual({
      code: "text-too-long",
      subcommand: "assign",
      detail: "[note]",
    });
  });

  expectErrors([
    ["assign", "missing-argument", "assign", "<@user>"],
    ["assign <@U1|bob>", "missing-argument", "assign", "<article>"],
    ["assign @bob 42", "invalid-user", "assign", "@bob"],
    ["assign bob 42", "invalid-user", "assign", "bob"],
    ["assign <#C123|general> 42", "invalid-user", "assign", "<#C123|general>"],
    ["assign <@u123> 42", "invalid-user", "assign", "<@u123>"],
    ["assign 42 <@U1>", "invalid-user", "assign", "42"],
    ["assign <@U1> latest", "invalid-article", "assign", "latest"],
    ["assign <@U1> 42 due:", "invalid-due", "assign", "due:"],
    ["assign <@U1> 42 due:someday", "invalid-due", "assign", "due:someday"],
    ["assign <@U1> 42 note due:2026-13-45", "invalid-due", "assign", "due:2026-13-45"],
    ["assign <@U1> 42 due:02-30", "invalid-due", "assign", "due:02-30"],
    ["assign <@U1> 42 due:mon due:tue", "invalid-due", "assign", "due:tue"],
  ]);
});

describe("report", () => {
  it("shows, schedules with a weekday in English or Japanese, and stops", () => {
    expect(parsed("report")).toEqual({ name: "report-show" });
    expect(parsed("report off")).toEqual({ name: "report-off" });
    expect(parsed("report at fri 17:00")).toEqual({
      name: "report-at",
      weekday: 5,
      hour: 17,
      minute: 0,
      timeZone: null,
    });
    expect(parsed("REPORT AT Monday ９:０５ asia/tokyo")).toEqual({
      name: "report-at",
      weekday: 1,
      hour: 9,
      minute: 5,
      timeZone: "Asia/Tokyo",
    });
    expect(parsed("report at 日曜 8:00")).toMatchObject({ weekday: 0 });
  });

  expectErrors([
    ["report at", "missing-argument", "report", "<weekday>"],
    ["report at fri", "missing-argument", "report", "HH:MM"],
    ["report at today 9:00", "invalid-weekday", "report", "today"],
    ["report at fri 9am", "invalid-time", "report", "9am"],
    ["report at fri 9:00 Mars/Olympus", "invalid-time-zone", "report", "Mars/Olympus"],
    ["report at fri 9:00 UTC extra", "unexpected-argument", "report", "extra"],
    ["report weekly", "unexpected-argument", "report", "weekly"],
    ["report off now", "unexpected-argument", "report", "now"],
  ]);
});

describe("comment and comments", () => {
  it("keeps the comment text as typed, newlines and Slack escapes included", () => {
    expect(parsed("comment 42 Looks &lt;risky&gt;:\n  - see <@U1>\n")).toEqual({
      name: "comment",
      article: { kind: "number", id: 42 },
      text: "Looks &lt;risky&gt;:\n  - see <@U1>",
    });
  });

  it("comments on an article by URL", () => {
    expect(parsed("comment <https://x.example/a> 良い記事です")).toEqual({
      name: "comment",
      article: { kind: "url", url: "https://x.example/a" },
      text: "良い記事です",
    });
  });

  it("accepts 2000 characters, counting an escaped character once, but not 2001", () => {
    const text = "&amp;".repeat(2000);
    expect(parsed(`comment 1 ${text}`)).toMatchObject({ text });
    expect(failure(`comment 1 ${"y".repeat(2001)}`)).toEqual({
      code: "text-too-long",
      subcommand: "comment",
      detail: "<text>",
    });
  });

  it("counts an emoji as one character", () => {
    expect(parsed(`comment 1 ${"😀".repeat(2000)}`)).toMatchObject({ name: "comment" });
  });

  it("lists an article's comments", () => {
    expect(parsed("comments #9")).toEqual({ name: "comments", article: { kind: "number", id: 9 } });
  });

  expectErrors([
    ["comment", "missing-argument", "comment", "<article>"],
    ["comment 42", "missing-argument", "comment", "<text>"],
    ["comment 42 \u3000 \n", "missing-argument", "comment", "<text>"],
    ["comment great article", "invalid-article", "comment", "great"],
    ["comments", "missing-argument", "comments", "<article>"],
    ["comments x", "invalid-article", "comments", "x"],
    ["comments 1 2", "unexpected-argument", "comments", "2"],
  ]);
});

describe("robustness", () => {
  it("never throws and always returns a well-formed result", () => {
    // A small deterministic fuzz over the characters the grammar treats specially.
    const alphabet = [
      " ",
      "\u3000",
      "\n",
      "<",
      ">",
      "|",
      "@",
      "#",
      ":",
      "：",
      ",",
      "、",
      "&amp;",
      "&lt;",
      "U1",
      "https://",
      "x.example",
      "9",
      "0",
      "-",
      "`",
      "{detail}",
      "😀",
      ...SUBCOMMANDS,
      "at",
      "now",
      "off",
      "daily",
      "include:",
      "min:",
      "Asia/Tokyo",
    ];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: random(8) }, () => alphabet[random(alphabet.length)]);
      const text = parts.join(random(2) ? " " : "");
      const result = parseCommand(text);
      if (!result.ok) expect(typeof result.error.detail).toBe("string");
      else expect(typeof result.command.name).toBe("string");
    }
  });
});
