import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scrape } from "./support/metrics-text.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

// What an operator copies from docs/ and .env.example must match what opsfeed really serves.

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
let app: TestApp;
let exposed: Set<string>;

beforeAll(async () => {
  app = await startTestApp();
  const text = await scrape(app.url);
  exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string));
});

afterAll(async () => {
  await app.stop();
});

/** The metric families an expression text names (histogram suffixes folded into the family). */
function familiesIn(text: string): string[] {
  const names = [...text.matchAll(/\b((?:opsfeed|process|nodejs)_[a-z0-9_]+)/g)].map(
    (match) => match[1] as string,
  );
  return [...new Set(names.map((name) => name.replace(/_(bucket|count|sum)$/, "")))];
}

describe("docs/alerts.yml", () => {
  it("is a Prometheus rule file whose rules use only series opsfeed serves", () => {
    const rules = (
      parse(read("docs/alerts.yml")) as {
        groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
      }
    ).groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        "OpsfeedFeedFailingForADay",
        "OpsfeedDigestParked",
        "OpsfeedSlackRateLimited",
      ]),
    );
    for (const rule of rules) {
      for (const family of familiesIn(rule.expr)) expect(exposed, rule.alert).toContain(family);
    }
  });
});

describe("docs/grafana-dashboard.json", () => {
  it("queries only series opsfeed serves", () => {
    const dashboard = JSON.parse(read("docs/grafana-dashboard.json")) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        for (const family of familiesIn(target.expr))
          expect(exposed, panel.title).toContain(family);
      }
    }
  });
});

describe(".env.example", () => {
  it("lists every setting of the README's settings table", () => {
    const readme = read("README.md");
    const table = readme.slice(readme.indexOf("## Settings"), readme.indexOf("## HTTP routes"));
    const names = [...table.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap((match) =>
      [match[1], match[2]].filter((name): name is string => name !== undefined),
    );
    expect(names).toContain("LOG_FORMAT");
    expect(names).toContain("NO_PROXY");
    const example = read(".env.example");
    for (const name of names) expect(example, name).toMatch(new RegExp(`^#?${name}=`, "m"));
  });
});
