import { LOG_LEVELS } from "./config/settings.js";

type Level = (typeof LOG_LEVELS)[number];

/** Context fields printed with a log line, e.g. ids of the channel, user or feed concerned. */
export type LogFields = Record<string, unknown>;

/** A small structured logger; also satisfies Bolt's Logger interface. */
export interface Logger {
  debug(message: unknown, ...rest: unknown[]): void;
  info(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  /** a logger that adds `fields` to every line */
  child(fields: LogFields): Logger;
  setLevel(level: string): void;
  getLevel(): string;
  setName(name: string): void;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.stack ?? value.message);
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function formatRest(rest: unknown[]): string {
  return rest
    .map((item) => {
      if (item && typeof item === "object" && !(item instanceof Error) && !Array.isArray(item)) {
        return Object.entries(item as LogFields)
          .map(([key, value]) => `${key}=${formatValue(value)}`)
          .join(" ");
      }
      return formatValue(item);
    })
    .filter(Boolean)
    .join(" ");
}

/**
 * Creates a logger writing one line per event: time, level, name, message, then key=value
 * fields (ids first), to stdout for debug/info and stderr for warn/error.
 */
export function createLogger(
  level: Level = "info",
  fields: LogFields = {},
  write: (level: Level, line: string) => void = defaultWrite,
): Logger {
  let current: Level = level;
  let name = "opsfeed";
  const log = (lineLevel: Level, message: unknown, rest: unknown[]) => {
    if (LOG_LEVELS.indexOf(lineLevel) < LOG_LEVELS.indexOf(current)) return;
    const text = typeof message === "string" ? message : formatRest([message]);
    const extra = formatRest([fields, ...rest]);
    const line = `${new Date().toISOString()} ${lineLevel.toUpperCase()} [${name}] ${text}${extra ? ` ${extra}` : ""}`;
    write(lineLevel, line);
  };
  return {
    debug: (message, ...rest) => log("debug", message, rest),
    info: (message, ...rest) => log("info", message, rest),
    warn: (message, ...rest) => log("warn", message, rest),
    error: (message, ...rest) => log("error", message, rest),
    child: (more) => createLogger(current, { ...fields, ...more }, write),
    setLevel: (next) => {
      if ((LOG_LEVELS as readonly string[]).includes(next)) current = next as Level;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}

function defaultWrite(level: Level, line: string): void {
  if (level === "warn" || level === "error") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}
