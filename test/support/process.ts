import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

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
 * Starts the compiled `dist/src/main.js` with node, as `npm start` does, in `cwd` with exactly
 * `env` (plus PATH and HOME), so no setting leaks in from the test runner's environment.
 * The build is fresh: the tests' global setup runs `npm run build` first.
 */
export function spawnOpsfeed(env: Record<string, string>, cwd: string): OpsfeedProcess {
  return watch(
    spawn(process.execPath, [`${repoRoot}dist/src/main.js`], {
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

/** Runs the operator CLI (`bin/opsfeed.js`) as its own process in `cwd` with exactly `env`. */
export function spawnCli(args: string[], env: Record<string, string>, cwd: string): OpsfeedProcess {
  return watch(
    spawn(process.execPath, [`${repoRoot}bin/opsfeed.js`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** The HTTP port a started opsfeed logged ("opsfeed listening port=…"). */
export async function listeningPort(opsfeed: OpsfeedProcess, timeoutMs = 20_000): Promise<number> {
  const line = await opsfeed.waitForOutput(/opsfeed listening/, timeoutMs);
  const port = /"?port"?[=:]\s*(\d+)/.exec(line)?.[1];
  if (!port) throw new Error(`no port in ${line}`);
  return Number(port);
}
