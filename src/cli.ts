import { backup, migrate } from "./cli/database-verbs.js";
import { digest } from "./cli/digest-verbs.js";
import { exportOpml, importOpml, poll, preview } from "./cli/feed-verbs.js";
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
};

function usage(): string {
  const lines = [...Object.values(verbs), { usage: "opsfeed --help", summary: "this text" }];
  const width = Math.max(...lines.map((line) => line.usage.length));
  return [
    `opsfeed ${VERSION}: operator commands (settings from the environment and ./.env)`,
    "",
    ...lines.map((line) => `  ${line.usage.padEnd(width)}  ${line.summary}`),
  ].join("\n");
}

const processIo: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the operator CLI with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) loadDotEnv();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return 0;
  }
  const verb = verbs[name];
  if (!verb) {
    io.err(`opsfeed: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`usage: ${verb.usage}\n${verb.summary}`);
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    io.err(`opsfeed ${name}: ${(error as Error).message}`);
    return 1;
  }
}
