import pino from "pino";
import { type LOG_FORMATS, LOG_LEVELS, type OperatorSettings } from "./config/settings.js";

type Level = (typeof LOG_LEVELS)[number];

/** How log lines look: `text` for people, `json` (one object per line) for log shippers. */
export type LogFormat = (typeof LOG_FORMATS)[number];

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

/** Where finished lines go: the line's level and its text (without the newline). */
export type LogWriter = (level: Level, line: string) => void;

/** How lines are written beyond their level. */
export interface LoggerOptions {
  format?: LogFormat;
  /** exact values (tokens, the signing secret) that must never reach a log line */
  secrets?: Array<string | null>;
}

const REDACTED = "[REDACTED]";

// Keys whose values are secrets: in a line's fields, in an object one of them holds, and in
// that object's `headers`. Done here, not by pino's `redact`, which cost 40% of every line.
const SECRET_KEYS = new Set([
  "token",
  "password",
  "authorization",
  "Authorization",
  "signingSecret",
]);

/** `object` with the values of its secret keys (and of its `headers`' ones) replaced. */
function withoutSecretKeys(object: LogFields, depth: number): LogFields {
  let copy: LogFields | null = null;
  for (const key of Object.keys(object)) {
    const value = object[key];
    let clean = value;
    if (SECRET_KEYS.has(key)) clean = REDACTED;
    else if (
      (depth > 0 || key === "headers") &&
      isPlainObject(value) &&
      !(value instanceof Error)
    ) {
      clean = withoutSecretKeys(value, depth - 1);
    }
    if (clean !== value) {
      copy ??= { ...object };
      copy[key] = clean;
    }
  }
  return copy ?? object;
}

/** A line's fields with secret keys redacted (the text of the line is scrubbed as well). */
function redactFields(fields: LogFields): LogFields {
  return withoutSecretKeys(fields, 1);
}

// Secrets that can hide inside any text (an error message, a URL, a Slack SDK debug line).
// Each stops at `"` and `\`, so a match never leaves the JSON string it is in.
const SECRET_PATTERNS: Array<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // Slack tokens: bot, user, app-level, refresh, configuration
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, (match) => `${match.slice(0, 5)}${REDACTED}`],
  // credentials in a URL: scheme://user:password@host
  [
    /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"\\]*:)[^\s@/"\\]+@/gi,
    (_match, prefix) => `${prefix}${REDACTED}@`,
  ],
  // an Authorization header's value
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, (_match, scheme) => `${scheme} ${REDACTED}`],
];

/** Replaces every secret in a serialized line with [REDACTED]. */
function secretScrubber(secrets: Array<string | null>): (text: string) => string {
  // Short values would blank out ordinary words; real secrets are long.
  const exact = secrets
    .filter((secret): secret is string => typeof secret === "string" && secret.length >= 8)
    .map((secret) => JSON.stringify(secret).slice(1, -1));
  return (text) => {
    let clean = text;
    for (const secret of exact) clean = clean.split(secret).join(REDACTED);
    for (const [pattern, replace] of SECRET_PATTERNS) clean = clean.replace(pattern, replace);
    return clean;
  };
}

/** Errors become their type, message and stack (and Slack's `data`) instead of `{}`. */
function serializeError(value: unknown): unknown {
  return value instanceof Error ? pino.stdSerializers.err(value) : value;
}

function isPlainObject(value: unknown): value is LogFields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field's value in a text line: bare when it can be, quoted otherwise, errors as their stack. */
function formatValue(value: unknown): string {
  if (isPlainObject(value) && typeof value.stack === "string" && "message" in value) {
    return JSON.stringify(value.stack);
  }
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** A JSON entry as one readable line: time, level, message, then key=value fields. */
function textLine(entry: LogFields): string {
  const { time, level, msg, ...fields } = entry;
  const extra = Object.entries(fields)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(" ");
  const message = typeof msg === "string" ? msg : "";
  return [time, String(level).toUpperCase(), message, extra].filter(Boolean).join(" ");
}

/**
 * Splits a call the way Bolt and opsfeed make them (`("text", { fields })`, `(error)`,
 * `("text", detail, error)`) into a message and fields; undefined fields are left out.
 */
function toEntry(message: unknown, rest: unknown[]): { fields: LogFields; msg: string } {
  const words: string[] = [];
  const fields: LogFields = {};
  for (const item of [message, ...rest]) {
    if (item instanceof Error) {
      if (words.length === 0) words.push(item.message);
      if (fields.error === undefined) fields.error = item;
    } else if (isPlainObject(item)) {
      for (const [key, value] of Object.entries(item)) {
        if (value !== undefined) fields[key] = value;
      }
    } else if (item !== undefined) {
      words.push(String(item));
    }
  }
  return { fields, msg: words.join(" ") };
}

function wrap(inner: pino.Logger): Logger {
  const log = (level: Level, message: unknown, rest: unknown[]) => {
    if (!inner.isLevelEnabled(level)) return;
    const { fields, msg } = toEntry(message, rest);
    inner[level](redactFields(fields), msg);
  };
  return {
    debug: (message, ...rest) => log("debug", message, rest),
    info: (message, ...rest) => log("info", message, rest),
    warn: (message, ...rest) => log("warn", message, rest),
    error: (message, ...rest) => log("error", message, rest),
    child: (fields) => wrap(inner.child(redactFields(fields))),
    setLevel: (next) => {
      if ((LOG_LEVELS as readonly string[]).includes(next)) inner.level = next;
    },
    getLevel: () => inner.level,
    // The Slack SDK renames the logger it is given after its internals ("web-api:WebClient:0");
    // opsfeed's lines are told apart by their fields instead (Bolt's carry source=slack).
    setName: () => {},
  };
}

/**
 * Creates a logger (pino underneath) writing one line per event to `write`: by default debug
 * and info to stdout, warn and error to stderr. `text` lines read `time LEVEL message
 * key=value…`; `json` lines are one object each. Secrets are redacted from every line.
 */
export function createLogger(
  level: Level = "info",
  fields: LogFields = {},
  write: LogWriter = defaultWrite,
  options: LoggerOptions = {},
): Logger {
  const format = options.format ?? "text";
  const scrub = secretScrubber(options.secrets ?? []);
  const destination = {
    write(serialized: string) {
      const clean = scrub(serialized.trimEnd());
      const entry = JSON.parse(clean) as LogFields;
      write(entry.level as Level, format === "json" ? clean : textLine(entry));
    },
  };
  const root = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, reason: serializeError, err: serializeError },
    },
    destination,
  );
  return wrap(Object.keys(fields).length > 0 ? root.child(redactFields(fields)) : root);
}

/** The logger the settings ask for: LOG_LEVEL, LOG_FORMAT, and the tokens to keep out of it. */
export function loggerFor(settings: OperatorSettings, write: LogWriter = defaultWrite): Logger {
  return createLogger(settings.logLevel, {}, write, {
    format: settings.logFormat,
    secrets: [settings.slackBotToken, settings.slackAppToken, settings.slackSigningSecret],
  });
}

function defaultWrite(level: Level, line: string): void {
  if (level === "warn" || level === "error") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}
