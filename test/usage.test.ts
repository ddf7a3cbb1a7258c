import { describe, expect, it } from "vitest";
import {
  type ParseError,
  type ParseErrorCode,
  parseCommand,
  SUBCOMMANDS,
} from "../src/commands/parse-command.js";
import { describeParseError, subcommandUsage, usageText } from "../src/commands/usage.js";
import { allMessageKeys, t } from "../src/i18n/catalog.js";
import { LOCALES } from "../src/i18n/locale.js";

function errorOf(text: string): ParseError {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return result.error;
}

/** One input per error code, so every `parse.<code>` message is exercised. */
const ONE_PER_CODE: Record<ParseErrorCode, string> = {
  "unknown-subcommand": "frobnicate",
  "missing-argument": "done",
  "unexpected-argument": "list extra",
  "invalid-url": "subscribe notaurl",
  "invalid-article": "done nope",
  "invalid-subscription": "unsubscribe nope",
  "invalid-option": "subscribe https://x.example foo:bar",
  "invalid-min": "subscribe https://x.example min:many",
  "invalid-time": "digest at 25:00",
  "invalid-days": "digest at 9:00 weekly",
  "invalid-time-zone": "digest at 9:00 Mars/Olympus",
  "invalid-user": "assign @bob 1",
  "invalid-due": "assign <@U1> 1 due:someday",
  "invalid-weekday": "report at someday 9:00",
  "invalid-mention": "subscribe https://x.example realtime mention:@bob",
  "mention-needs-realtime": "subscribe https://x.example mention:<@U123|bob>",
  "text-too-long": `comment 1 ${"z".repeat(2001)}`,
  "invalid-hatena-category": "subscribe hatena:hot:sports",
  "invalid-hatena-search": "preview hatena:search:",
};

describe("usageText", () => {
  it.each(LOCALES)("lists every subcommand in %s, one per line in backticks", (locale) => {
    const usage = usageText(locale);
    for (const subcommand of SUBCOMMANDS) {
      expect(usage).toMatch(new RegExp(`^\`/opsfeed ${subcommand}[\` ]`, "m"));
    }
    for (const form of ["digest now", "digest at HH:MM", "digest off", "later &lt;article&gt;"]) {
      expect(usage).toContain(`\`/opsfeed ${form}`);
    }
  });

  it("shows the exact subscribe syntax, escaped for Slack mrkdwn", () => {
    expect(usageText("en")).toContain(
      "`/opsfeed subscribe &lt;feed-url&gt; [include:w1,w2] [exclude:w3] [min:N] [realtime] [mention:&lt;@user&gt;|&lt;!subteam^ID&gt;]` — subscribe this channel to a feed",
    );
  });

  it("has no bare angle brackets Slack would read as markup", () => {
    for (const locale of LOCALES) expect(usageText(locale)).not.toMatch(/[<>]/);
  });

  it("is in Japanese for ja", () => {
    expect(usageText("ja")).toContain("使い方");
    expect(usageText("ja")).toContain("このチャンネルでフィード");
    expect(usageText("ja")).not.toEqual(usageText("en"));
  });
});

describe("describeParseError", () => {
  it.each(LOCALES)("names the offending token and shows the subcommand's usage (%s)", (locale) => {
    const message = describeParseError(locale, errorOf("done nope"));
    expect(message).toContain("`nope`");
    expect(message).toContain("`/opsfeed done &lt;article&gt;`");
    expect(message).not.toContain("/opsfeed subscribe");
  });

  it("shows every form of digest for a digest mistake", () => {
    const message = describeParseError("en", errorOf("digest at 9am"));
    expect(message).toContain("`9am` is not a time");
    expect(message).toContain("`/opsfeed digest now`");
    expect(message).toContain("`/opsfeed digest at HH:MM [daily|weekdays] [time-zone]`");
    expect(message).toContain("`/opsfeed digest off`");
  });

  it("shows the full usage for an unknown subcommand", () => {
    const message = describeParseError("ja", errorOf("frobnicate"));
    expect(message).toContain("`frobnicate`");
    expect(message).toContain(usageText("ja"));
  });

  it("names the missing argument", () => {
    expect(describeParseError("en", errorOf("comment 42"))).toContain(
      "`/opsfeed comment` needs `&lt;text&gt;`",
    );
  });

  it("tells the user to pick a person from Slack's suggestions", () => {
    expect(describeParseError("en", errorOf("assign @bob 1"))).toContain("pick the person");
    expect(describeParseError("ja", errorOf("assign @bob 1"))).toContain("候補から相手を選んで");
  });

  it("quotes the limits of notes, comments and min:", () => {
    expect(describeParseError("en", errorOf(`assign <@U1> 1 ${"n".repeat(501)}`))).toContain("500");
    expect(describeParseError("en", errorOf(`comment 1 ${"n".repeat(2001)}`))).toContain("2000");
    expect(describeParseError("ja", errorOf("subscribe https://x.example min:-1"))).toContain(
      "100000",
    );
  });

  it("keeps a hostile token from breaking the reply", () => {
    const message = describeParseError("en", errorOf("assign <!channel> 1"));
    expect(message).toContain("`&lt;!channel&gt;`");
    expect(message).not.toContain("<!channel>");
    const backticked = describeParseError("en", errorOf("done `x`"));
    expect(backticked).toContain("`'x'`");
    const huge = describeParseError("en", errorOf(`done ${"a".repeat(5000)}`));
    expect(huge.length).toBeLessThan(1000);
  });

  it.each(Object.entries(ONE_PER_CODE))("describes %s in both languages", (code, text) => {
    const error = errorOf(text);
    expect(error.code).toBe(code);
    for (const locale of LOCALES) {
      const message = describeParseError(locale, error);
      expect(message.split("\n")[0]).not.toEqual("");
      expect(message).not.toMatch(/\{\w+\}/);
    }
  });
});

describe("catalog", () => {
  it("has non-empty en and ja for every key, with the same placeholders", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of allMessageKeys()) {
      const en = t("en", key);
      const ja = t("ja", key);
      expect(en.trim(), key).not.toEqual("");
      expect(ja.trim(), key).not.toEqual("");
      expect(placeholders(ja), key).toEqual(placeholders(en));
    }
  });

  it("has the command usage and parse keys", () => {
    const keys = allMessageKeys();
    for (const code of Object.keys(ONE_PER_CODE)) expect(keys).toContain(`parse.${code}`);
    expect(keys).toContain("usage.subscribe");
  });

  it.each(SUBCOMMANDS)("has a per-subcommand usage for %s", (subcommand) => {
    expect(subcommandUsage("en", subcommand)).toContain(`/opsfeed ${subcommand}`);
  });
});
