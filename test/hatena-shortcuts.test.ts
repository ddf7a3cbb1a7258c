import { describe, expect, it } from "vitest";
import { parseCommand } from "../src/commands/parse-command.js";
import { describeParseError } from "../src/commands/usage.js";
import {
  expandHatenaShortcut,
  HATENA_HOT_CATEGORIES,
  isHatenaShortcut,
} from "../src/feeds/hatena-shortcuts.js";

describe("expandHatenaShortcut", () => {
  it.each([
    ["hatena:hot:all", "https://b.hatena.ne.jp/hotentry.rss"],
    ["hatena:hot:it", "https://b.hatena.ne.jp/hotentry/it.rss"],
    ["hatena:hot:general", "https://b.hatena.ne.jp/hotentry/general.rss"],
    ["hatena:hot:social", "https://b.hatena.ne.jp/hotentry/social.rss"],
    ["hatena:hot:economics", "https://b.hatena.ne.jp/hotentry/economics.rss"],
    ["hatena:hot:life", "https://b.hatena.ne.jp/hotentry/life.rss"],
    ["hatena:hot:knowledge", "https://b.hatena.ne.jp/hotentry/knowledge.rss"],
    ["hatena:hot:fun", "https://b.hatena.ne.jp/hotentry/fun.rss"],
    ["hatena:hot:entertainment", "https://b.hatena.ne.jp/hotentry/entertainment.rss"],
    ["hatena:hot:game", "https://b.hatena.ne.jp/hotentry/game.rss"],
    // case, width and the full-width colon an IME types
    ["Hatena:HOT:IT", "https://b.hatena.ne.jp/hotentry/it.rss"],
    ["hatena：hot：ｉｔ", "https://b.hatena.ne.jp/hotentry/it.rss"],
    ["ｈａｔｅｎａ：ｈｏｔ：ＩＴ", "https://b.hatena.ne.jp/hotentry/it.rss"],
    ["hatena:search:ＲＥＤＩＳ", "https://b.hatena.ne.jp/search/text?q=REDIS&mode=rss"],
    ["hatena:search:障害", "https://b.hatena.ne.jp/search/text?q=%E9%9A%9C%E5%AE%B3&mode=rss"],
    ["hatena：search：障害", "https://b.hatena.ne.jp/search/text?q=%E9%9A%9C%E5%AE%B3&mode=rss"],
    ["hatena:search:redis", "https://b.hatena.ne.jp/search/text?q=redis&mode=rss"],
    // several words: all required, sent space-separated
    [
      "hatena:search:aws,障害",
      "https://b.hatena.ne.jp/search/text?q=aws%20%E9%9A%9C%E5%AE%B3&mode=rss",
    ],
    [
      "hatena:search:aws+障害",
      "https://b.hatena.ne.jp/search/text?q=aws%20%E9%9A%9C%E5%AE%B3&mode=rss",
    ],
    // what must not break the query string
    ["hatena:search:a&b=c#d", "https://b.hatena.ne.jp/search/text?q=a%26b%3Dc%23d&mode=rss"],
  ])("%s → %s", (shortcut, url) => {
    expect(expandHatenaShortcut(shortcut)).toEqual({ ok: true, url });
  });

  it.each([
    ["hatena:hot:sports", "unknown-category"],
    ["hatena:hot:", "unknown-category"],
    ["hatena:hot", "unknown-category"],
    ["hatena:search:", "missing-words"],
    ["hatena:search:,,+", "missing-words"],
    ["hatena:search", "missing-words"],
  ])("refuses %s (%s)", (shortcut, reason) => {
    expect(expandHatenaShortcut(shortcut)).toEqual({ ok: false, reason });
  });

  it("leaves what is not a shortcut alone", () => {
    expect(expandHatenaShortcut("https://b.hatena.ne.jp/hotentry/it.rss")).toBeNull();
    expect(expandHatenaShortcut("hatena:bookmark:x")).toBeNull();
    expect(isHatenaShortcut("https://example.com/feed")).toBe(false);
    expect(isHatenaShortcut("hatena：hot：it")).toBe(true);
  });
});

describe("subscribe and preview take the shortcuts", () => {
  it("subscribe hatena:search:障害 min:50 is the search feed with min:50", () => {
    expect(parseCommand("subscribe hatena:search:障害 min:50")).toEqual({
      ok: true,
      command: {
        name: "subscribe",
        feedUrl: "https://b.hatena.ne.jp/search/text?q=%E9%9A%9C%E5%AE%B3&mode=rss",
        include: [],
        exclude: [],
        minBookmarks: 50,
        realtime: false,
        mention: null,
      },
    });
  });

  it("preview hatena:hot:it include:redis is the IT hot entries", () => {
    expect(parseCommand("preview hatena:hot:it include:redis")).toEqual({
      ok: true,
      command: {
        name: "preview",
        feedUrl: "https://b.hatena.ne.jp/hotentry/it.rss",
        include: ["redis"],
        exclude: [],
        minBookmarks: null,
      },
    });
  });

  it("refuses an unknown category in words that list every category", () => {
    const result = parseCommand("subscribe hatena:hot:sports");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: "invalid-hatena-category",
      subcommand: "subscribe",
    });
    const en = describeParseError("en", result.error);
    const ja = describeParseError("ja", result.error);
    expect(en).toContain("`hatena:hot:sports` is not a Hatena hot-entry category");
    expect(ja).toContain("人気エントリーのカテゴリではありません");
    for (const category of HATENA_HOT_CATEGORIES) {
      expect(en).toContain(`\`${category}\``);
      expect(ja).toContain(`\`${category}\``);
    }
  });

  it("refuses a search without words, showing preview's usage", () => {
    const result = parseCommand("preview hatena:search:");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "invalid-hatena-search", subcommand: "preview" });
    expect(describeParseError("en", result.error)).toContain("/opsfeed preview &lt;feed-url&gt;");
  });
});
