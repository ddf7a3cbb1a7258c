/**
 * Benchmarks of the hot paths, with the timing goals the tests deliberately do not assert.
 * Run with `npm run bench` (all of them) or `npm run bench -- <name>…` (only those named).
 * Each section lives in its own file and returns its figures; this file only runs the named
 * sections in order and prints every figure beside its goal. Everything is local: temp
 * databases, loopback stand-ins, no network.
 */
import { measureDigestBasics, measureParse } from "./basics.js";
import { measureDigestScale } from "./digest-scale.js";
import { measureDueChannels, withPostgresDatabase } from "./due-channels.js";
import { measureIngest } from "./ingest.js";
import { measureIngestLatency } from "./ingest-latency.js";
import { measureMemory } from "./memory.js";
import type { BenchResult, BenchSection } from "./result.js";
import { retentionSection } from "./retention.js";
import { measureSearch } from "./search.js";
import { measureSlashCommands } from "./slash-commands.js";

/** 1,000 channels due at the same minute, with one and with three real processes, on one
 * SQLite file and (when one answers) on one Postgres database. */
async function dueChannelsSection(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dueChannels = async (
    processes: number,
    where: string,
    url: (file: string) => string,
    limitedShare = 0,
  ) => {
    const run = await measureDueChannels(processes, url, { limitedShare });
    const limits = limitedShare > 0 ? `, ${run.limited} posts answered 429` : "";
    results.push({
      name: `1,000 due channels, ${processes} process${processes > 1 ? "es" : ""} on ${where} (${run.posted} digests, ${run.messages} messages${limits})`,
      goal: "< 30 s",
      measured: `${run.seconds.toFixed(1)} s`,
      ok: run.seconds < 30,
    });
  };
  for (const processes of [1, 3]) await dueChannels(processes, "one SQLite file", (file) => file);
  await dueChannels(1, "one SQLite file, 5% of posts 429", (file) => file, 0.05);
  const onPostgres = await withPostgresDatabase(async (fresh) => {
    for (const processes of [1, 3]) await dueChannels(processes, "one Postgres", () => fresh());
    return true;
  });
  if (onPostgres === null) console.log("Postgres runs skipped: no Postgres at BENCH_POSTGRES_URL");
  return results;
}

/** Search over 1,000,000 articles: 100 searches of one-, two- and longer-character words. */
async function searchSection(): Promise<BenchResult[]> {
  const run = await measureSearch();
  return [
    {
      name: `search 1,000,000 articles, p50 of ${run.searches} (corpus built in ${run.buildSeconds.toFixed(0)} s)`,
      goal: "report",
      measured: `${run.p50.toFixed(1)} ms`,
      ok: true,
    },
    {
      name: `search 1,000,000 articles, p95 (slowest ${run.max.toFixed(1)} ms: ${run.slowest[0]?.query ?? ""})`,
      goal: "< 100 ms",
      measured: `${run.p95.toFixed(1)} ms`,
      ok: run.p95 < 100,
    },
  ];
}

/** Every section, in the order `npm run bench` runs them. */
const SECTIONS: Record<string, BenchSection> = {
  parse: measureParse,
  digest: measureDigestBasics,
  ingest: measureIngest,
  "ingest-latency": measureIngestLatency,
  "due-channels": dueChannelsSection,
  search: searchSection,
  "digest-scale": measureDigestScale,
  retention: retentionSection,
  "slash-commands": measureSlashCommands,
  memory: measureMemory,
};

const named = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = named.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(SECTIONS).join(", ")}`,
  );
  process.exit(2);
}

const results: BenchResult[] = [];
for (const [name, section] of Object.entries(SECTIONS)) {
  if (named.length > 0 && !named.includes(name)) continue;
  const figures = await section();
  // Printed as each section ends too, since a full run takes many minutes.
  for (const r of figures)
    console.log(`[${name}] ${r.ok ? "ok  " : "SLOW"} ${r.name}: ${r.measured} (goal ${r.goal})`);
  results.push(...figures);
}

const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) {
  console.log(
    `${r.ok ? "ok  " : "SLOW"}  ${r.name.padEnd(width)}  ${r.measured.padStart(10)}  (goal ${r.goal})`,
  );
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
