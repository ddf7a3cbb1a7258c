import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * Guards the layering that docs/architecture.md describes: the domain never knows Slack or
 * cron, all SQL lives in src/store/, the Slack layer never touches the database, and no two
 * folders import each other.
 */

const root = resolve(new URL("../", import.meta.url).pathname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

interface SourceFile {
  /** path from the repository root, e.g. src/feeds/poller.ts */
  path: string;
  text: string;
  /** every module it imports: repository paths for relative imports, package names otherwise */
  imports: string[];
}

const files: SourceFile[] = [
  ...sourceFiles(join(root, "src")),
  ...sourceFiles(join(root, "db")),
].map((file) => {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map(
    (m) => m[1] ?? "",
  );
  return {
    path: relative(root, file),
    text,
    imports: specifiers.map((specifier) =>
      specifier.startsWith(".")
        ? relative(root, resolve(dirname(file), specifier)).replace(/\.js$/, ".ts")
        : specifier,
    ),
  };
});

/** The layer of a repository path: the model (src/<folder>/types.ts), a folder of src/, or a root file. */
function layerOf(path: string): string {
  if (/^src\/[^/]+\/types\.ts$/.test(path)) return "model";
  if (path.startsWith("db/")) return "db";
  const folder = /^src\/([^/]+)\//.exec(path)?.[1];
  return folder ?? path.replace(/^src\//, "").replace(/\.ts$/, "");
}

const DOMAIN = [
  "access",
  "feeds",
  "digest",
  "queue",
  "subscriptions",
  "delivery",
  "store",
  "commands",
  "pages",
  "realtime",
  "search",
  "retention",
];

function filesIn(layers: string[]): SourceFile[] {
  return files.filter((file) => layers.includes(layerOf(file.path)));
}

describe("layering", () => {
  it("finds the source it guards", () => {
    expect(filesIn(DOMAIN).length).toBeGreaterThan(20);
    expect(filesIn(["slack"]).length).toBeGreaterThan(10);
  });

  it("keeps Slack, cron and the adapters out of the domain and the store", () => {
    for (const file of filesIn([...DOMAIN, "model"])) {
      for (const target of file.imports) {
        expect(target, `${file.path} imports ${target}`).not.toMatch(/^@slack\//);
        expect(target, `${file.path} imports ${target}`).not.toBe("node-cron");
        // The domain counts through the Metrics interface (metrics/types.ts), never prom-client.
        expect(["prom-client", "pino", "undici"], `${file.path} imports ${target}`).not.toContain(
          target,
        );
        expect(
          ["slack", "jobs", "cli", "wiring", "main", "metrics"].includes(layerOf(target)),
          `${file.path} imports ${target}`,
        ).toBe(false);
      }
    }
  });

  it("lets the store import only the database, the model and other store modules", () => {
    for (const file of filesIn(["store"])) {
      for (const target of file.imports) {
        if (!target.includes("/") || target.startsWith("node:")) continue;
        expect(["store", "db", "model"], `${file.path} imports ${target}`).toContain(
          layerOf(target),
        );
      }
    }
  });

  it("lets the model import only other model files", () => {
    for (const file of filesIn(["model"])) {
      for (const target of file.imports) {
        expect(layerOf(target), `${file.path} imports ${target}`).toBe("model");
      }
    }
  });

  it("keeps SQL in src/store/ and db/", () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|transaction)\(|\bsql`/;
    for (const file of files) {
      if (["store", "db"].includes(layerOf(file.path))) continue;
      expect(query.test(file.text), `${file.path} runs SQL`).toBe(false);
    }
  });

  it("keeps the database out of the Slack layer and the jobs", () => {
    for (const file of filesIn(["slack", "jobs"])) {
      for (const target of file.imports) {
        expect(["store", "db"], `${file.path} imports ${target}`).not.toContain(layerOf(target));
      }
    }
  });

  it("has no two folders importing each other, directly or round a loop", () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      const from = layerOf(file.path);
      for (const target of file.imports) {
        if (!target.startsWith("src/") && !target.startsWith("db/")) continue;
        const to = layerOf(target);
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycle = (start: string): string[] | null => {
      const walk = (node: string, path: string[]): string[] | null => {
        for (const next of edges.get(node) ?? []) {
          if (next === start) return [...path, next];
          if (path.includes(next)) continue;
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
        return null;
      };
      return walk(start, [start]);
    };
    for (const layer of edges.keys()) {
      expect(cycle(layer), `folders import each other: ${cycle(layer)?.join(" → ")}`).toBeNull();
    }
  });
});
