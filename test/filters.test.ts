import { describe, expect, it } from "vitest";
import { describeFilters, droppingFilter, matchesFilters } from "../src/feeds/filters.js";
import type { SubscriptionFilters } from "../src/feeds/types.js";

const none: SubscriptionFilters = { include: [], exclude: [], minBookmarks: null };

function item(title: string, summary: string | null = null, bookmarkCount: number | null = null) {
  return { title, summary, bookmarkCount };
}

describe("matchesFilters", () => {
  it("passes everything when there are no filters", () => {
    expect(matchesFilters(item("anything"), none)).toBe(true);
  });

  it("includes items with at least one include word in the title or the summary", () => {
    const filters = { ...none, include: ["redis", "障害"] };
    expect(matchesFilters(item("ElastiCache for Redis 運用小話"), filters)).toBe(true);
    expect(matchesFilters(item("AWS 東京リージョン apne-az1 障害で起きたこと"), filters)).toBe(
      true,
    );
    expect(matchesFilters(item("Weekly notes", "A Redis outage story"), filters)).toBe(true);
    expect(matchesFilters(item("監視の設計", "外形監視とリソース監視"), filters)).toBe(false);
  });

  it("excludes items containing any exclude word", () => {
    const filters = { ...none, exclude: ["PR", "広告"] };
    expect(matchesFilters(item("[PR] 新サービスのご案内"), filters)).toBe(false);
    expect(matchesFilters(item("記事", "【広告】キャンペーン"), filters)).toBe(false);
    expect(matchesFilters(item("監視の設計"), filters)).toBe(true);
  });

  it("combines include and exclude", () => {
    const filters = { ...none, include: ["redis"], exclude: ["pr"] };
    expect(matchesFilters(item("Redis tips"), filters)).toBe(true);
    expect(matchesFilters(item("PR: Managed Redis"), filters)).toBe(false);
  });

  it("ignores case and width: ＲＥＤＩＳ matches redis, ｶﾅ matches カナ", () => {
    expect(matchesFilters(item("ＲＥＤＩＳ 入門"), { ...none, include: ["redis"] })).toBe(true);
    expect(matchesFilters(item("Redis 入門"), { ...none, include: ["ＲＥＤＩＳ"] })).toBe(true);
    expect(matchesFilters(item("ｶﾅ入力の話"), { ...none, include: ["カナ"] })).toBe(true);
    expect(matchesFilters(item("カナ入力の話"), { ...none, exclude: ["ｶﾅ"] })).toBe(false);
    expect(matchesFilters(item("KUBERNETES upgrade"), { ...none, include: ["Kubernetes"] })).toBe(
      true,
    );
  });

  it("ignores blank words", () => {
    expect(matchesFilters(item("anything"), { ...none, include: ["", "  "] })).toBe(true);
    expect(matchesFilters(item("anything"), { ...none, exclude: [" "] })).toBe(true);
  });

  it("drops items below minBookmarks and keeps items without a count", () => {
    const filters = { ...none, minBookmarks: 100 };
    expect(matchesFilters(item("popular", null, 412), filters)).toBe(true);
    expect(matchesFilters(item("exactly", null, 100), filters)).toBe(true);
    expect(matchesFilters(item("quiet", null, 12), filters)).toBe(false);
    expect(matchesFilters(item("not from Hatena", null, null), filters)).toBe(true);
  });

  it("applies words and the minimum together", () => {
    const filters = { include: ["障害"], exclude: [], minBookmarks: 50 };
    expect(matchesFilters(item("障害の記録", null, 412), filters)).toBe(true);
    expect(matchesFilters(item("障害の記録", null, 3), filters)).toBe(false);
    expect(matchesFilters(item("監視の記録", null, 412), filters)).toBe(false);
  });
});

describe("describeFilters", () => {
  it("is empty without filters", () => {
    expect(describeFilters(none)).toBe("");
  });

  it("describes every part in a neutral syntax", () => {
    expect(describeFilters({ include: ["redis", "障害"], exclude: ["pr"], minBookmarks: 10 })).toBe(
      "include:redis,障害 exclude:pr min:10",
    );
    expect(describeFilters({ ...none, minBookmarks: 0 })).toBe("min:0");
    expect(describeFilters({ ...none, exclude: ["広告"] })).toBe("exclude:広告");
  });

  it("quotes words containing spaces or commas and skips blanks", () => {
    expect(describeFilters({ ...none, include: ["on call", "a,b", " "] })).toBe(
      'include:"on call","a,b"',
    );
  });
});

describe("droppingFilter", () => {
  const filters: SubscriptionFilters = {
    include: ["redis", " 障害 "],
    exclude: ["", "PR", "ｕｎｉｃｏｒｎ"],
    minBookmarks: 50,
  };

  it.each([
    ["passes", item("Redis tips", null, 80), null],
    ["no count is not too few", item("Redis tips"), null],
    [
      "too few bookmarks, checked first",
      item("PR: unicorn", null, 3),
      { filter: "min", minBookmarks: 50, bookmarkCount: 3 },
    ],
    [
      "no include word",
      item("Kafka", "queues", 90),
      { filter: "include", words: ["redis", "障害"] },
    ],
    [
      "the first exclude word it contains, as written",
      item("障害 report", "unicorn and pr", 90),
      { filter: "exclude", word: "PR" },
    ],
    [
      "a width-folded exclude word",
      item("Redis on Unicorn", null, 90),
      { filter: "exclude", word: "ｕｎｉｃｏｒｎ" },
    ],
  ])("%s", (_name, article, verdict) => {
    expect(droppingFilter(article, filters)).toEqual(verdict);
    expect(matchesFilters(article, filters)).toBe(verdict === null);
  });
});
