import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
// tsx's loader as a URL: `--import tsx` would be looked up from the child's (empty) cwd.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A running `opsfeed` process (what `npm start` runs) with its output collected. */
export interface OpsfeedProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the first output line matching `pattern` */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `src/main.ts` as `npm start` does (`node --import tsx`, one process), in `cwd` with
 * exactly `env` (plus PATH and HOME), so no setting leaks in from the test runner's
 * environment. Not the tsx CLI: its parent process kills the app outright when the app is
 * slow (30 ms, a busy machine) to acknowledge a relayed SIGTERM, and exits 143.
 */
export function spawnOpsfeed(env: Record<string, string>, cwd: string): OpsfeedProcess {
  return watch(
    spawn(process.execPath, ["--import", tsxLoader, `${repoRoot}src/main.ts`], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Runs `npm start` in the repository, exactly as an operator would, with exactly `env`. */
export function spawnNpmStart(env: Record<string, string>): OpsfeedProcess {
  return watch(
    spawn("npm", ["start", "--silent"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Collects a child's output and exit, for tests to wait on. */
function watch(child: ChildProcess): OpsfeedProcess {
  let out = "";
  let err = "";
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no output matching ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)),
          timeoutMs,
        );
        const check = () => {
          const line = `${out}\n${err}`.split("\n").find((l) => pattern.test(l));
          if (line !== undefined) {
            clearTimeout(timer);
            resolve(line);
          } else {
            waiters.push(check);
          }
        };
        void exited.then(() => {
          setTimeout(() => {
            const line = `${out}\n${err}`.split("\n").find((l) => pattern.test(l));
            if (line === undefined) {
              clearTimeout(timer);
              reject(new Error(`exited before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
            }
          }, 50);
        });
        check();
      });
    },
  };
}
