import { backup, migrate, restore } from "./cli/database-verbs.js";
import { digest } from "./cli/digest-verbs.js";
import { exportOpml, importOpml, poll, preview } from "./cli/feed-verbs.js";
import { prune } from "./cli/retention-verbs.js";
import { indexSearch } from "./cli/search-verbs.js";
import type { CliIo, Verb } from "./cli/verb.js";
import { loadDotEnv } from "./config/environment.js";
import { VERSION } from "./version.js";

/** Every operator verb, by name; a feature adds its verbs here. */
const verbs: Record<string, Verb> = {
  migrate,
  poll,
  preview,
  "import-opml": importOpml,
  "export-opml": exportOpml,
  digest,
  backup,
  restore,
  prune,
  "index-search": indexSearch,
};

/** The main help, within 80 columns: each verb's synopsis and one-line summary. */
function usage(): string {
  const lines = [
    ...Object.values(verbs).map(({ synopsis, summary }) => ({ synopsis, summary })),
    { synopsis: "opsfeed --version", summary: "print opsfeed's version" },
    { synopsis: "opsfeed --help", summary: "this text" },
  ];
  const width = Math.max(...lines.map((line) => line.synopsis.length));
  return [
    `opsfeed ${VERSION}: operator commands`,
    "Settings come from the environment and ./.env (see .env.example).",
    "",
    ...lines.map((line) => `  ${line.synopsis.padEnd(width)}  ${line.summary}`),
    "",
    "opsfeed <command> --help shows a command's options.",
  ].join("\n");
}

function verbHelp(verb: Verb): string {
  return [`usage: ${verb.usage}`, verb.summary, ...(verb.details ?? [])].join("\n");
}

const processIo: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // A progress line only where a person watches; \r and an erase keep it to one line.
  ...(process.stderr.isTTY
    ? { progress: (text: string) => process.stderr.write(`\r\x1b[2K${text}`) }
    : {}),
};

/** Runs the operator CLI with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) loadDotEnv();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io.out(VERSION);
    return 0;
  }
  const verb = verbs[name];
  if (!verb) {
    io.err(`opsfeed: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(verbHelp(verb));
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    // One line: what failed and why (a setting names itself); never a stack trace.
    io.progress?.("");
    const message = (error as Error).message ?? String(error);
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      io.err(`opsfeed ${name}: ${message}\nusage: ${verb.usage}`);
      return 2;
    }
    io.err(`opsfeed ${name}: ${message.split("\n")[0]}`);
    return 1;
  }
}
