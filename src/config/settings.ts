import { z } from "zod";
import { LOCALES, type Locale } from "../i18n/locale.js";
import { describeCronProblem } from "./cron.js";
import { type ProxySettings, readProxySettings } from "./proxy.js";

/** Log levels opsfeed understands, quietest last. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Log line formats: readable text, or one JSON object per line. */
export const LOG_FORMATS = ["text", "json"] as const;

/** Everything opsfeed reads from its environment, validated. */
export interface Settings {
  slackBotToken: string;
  slackSigningSecret: string | null;
  slackAppToken: string | null;
  slackApiUrl: string | null;
  port: number;
  databaseUrl: string;
  allowPrivateNetworks: boolean;
  pollCron: string;
  /** how often feeds of realtime subscriptions are polled (OPSFEED_REALTIME_POLL_SECONDS) */
  realtimePollSeconds: number;
  /**
   * how many feeds one process fetches at once, and from one host at once
   * (OPSFEED_POLL_CONCURRENCY, OPSFEED_POLL_HOST_CONCURRENCY)
   */
  pollConcurrency: { total: number; perHost: number };
  /** worker threads that parse large feeds off the event loop; 0 parses inline (OPSFEED_PARSE_WORKERS) */
  parseWorkers: number;
  /** when due digests are looked for and waiting messages sent */
  digestCron: string;
  timeZone: string;
  digestMaxArticles: number;
  /** most Slack calls digests have in flight at once, in one process (OPSFEED_DIGEST_CONCURRENCY) */
  digestConcurrency: number;
  locale: Locale;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  /** outbound proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) for feeds and Slack */
  proxy: ProxySettings;
  /** the emoji name whose reaction saves a message's links (OPSFEED_SAVE_REACTION) */
  saveReaction: string;
  /** the emoji name whose reaction marks a message's article done (OPSFEED_DONE_REACTION) */
  doneReaction: string;
  /** base URL of Hatena Bookmark's entry API, ending in / (HATENA_API_URL) */
  hatenaApiUrl: string;
  /** days old articles and sent messages' payloads are kept; 0 keeps them for ever (OPSFEED_RETENTION_DAYS) */
  retentionDays: number;
}

/** The outcome of reading settings: the settings, or one line per problem. */
export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: string[] };

/** True when `value` names a time zone the runtime knows (IANA). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A whole number from `min` to `max`, written in plain decimal digits. */
function wholeNumberSetting(min: number, max: number) {
  const problem = `expected a whole number ${min}-${max}`;
  return z
    .string()
    .regex(/^\d{1,6}$/, { error: problem })
    .transform(Number)
    .pipe(z.number().min(min, { error: problem }).max(max, { error: problem }));
}

const REALTIME_POLL_PROBLEM = "expected a whole number of seconds from 10 to 3600";

const RETENTION_PROBLEM = "expected a whole number of days from 0 to 3650 (0 keeps everything)";

const PORT_PROBLEM = "expected a port number 0-65535 (0 picks a free port)";

// Empty strings count as unset: `.env` files often carry `FOO=` placeholders.
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

function withDefault<T extends z.ZodType>(fallback: string, schema: T) {
  return z.preprocess(
    (value) => (typeof value !== "string" || value.trim() === "" ? fallback : value.trim()),
    schema,
  );
}

/** A cron expression; a bad one is told which field is wrong, with `example` to copy. */
function cronSetting(example: string) {
  return z.string().superRefine((value, ctx) => {
    const problem = describeCronProblem(value, example);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * An emoji name as Slack names it in reaction events: lower-case letters, digits, `_`, `-`,
 * `+` and `'`, without the colons people type around it.
 */
function emojiSetting(example: string) {
  return z.string().superRefine((value, ctx) => {
    if (/^:.*:$/.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `expected an emoji name without the colons, like ${value.slice(1, -1) || example}`,
      });
    } else if (!/^[a-z0-9_+'-]+$/.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `expected an emoji name as Slack spells it (lower-case letters, digits, _ - + '), like ${example}`,
      });
    }
  });
}

const schema = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith("xoxb-", { error: "expected a bot token starting with xoxb-" })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith("xapp-", { error: "expected an app-level token starting with xapp-" })
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL ending in /api/" })
      .refine((url) => url.endsWith("/"), {
        error: "expected the URL to end with / (like https://slack.com/api/)",
      })
      .optional(),
  ),
  // Plain decimal digits only: Number() would also take "0x10", "1e3" and "80.0".
  PORT: withDefault(
    "3000",
    z
      .string()
      .regex(/^\d{1,5}$/, { error: PORT_PROBLEM })
      .transform(Number)
      .pipe(z.number().max(65535, { error: PORT_PROBLEM })),
  ),
  DATABASE_URL: withDefault(
    "./data/opsfeed.sqlite",
    // A path is SQLite's; of URLs only Postgres's are understood. Anything else with a scheme
    // (sqlite:///x, mysql://…) would otherwise be taken for a relative path and create folders.
    z
      .string()
      .refine(
        (value) => /^postgres(ql)?:\/\//i.test(value) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value),
        {
          error: "expected a SQLite file path, :memory:, or a postgres:// (or postgresql://) URL",
        },
      ),
  ),
  OPSFEED_ALLOW_PRIVATE_NETWORKS: withDefault(
    "false",
    z.stringbool({ error: "expected true or false" }),
  ),
  OPSFEED_POLL_CRON: withDefault("*/10 * * * *", cronSetting("*/10 * * * *")),
  OPSFEED_REALTIME_POLL_SECONDS: withDefault(
    "120",
    z
      .string()
      .regex(/^\d{1,5}$/, { error: REALTIME_POLL_PROBLEM })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(10, { error: REALTIME_POLL_PROBLEM })
          .max(3600, { error: REALTIME_POLL_PROBLEM }),
      ),
  ),
  OPSFEED_POLL_CONCURRENCY: withDefault("16", wholeNumberSetting(1, 256)),
  OPSFEED_POLL_HOST_CONCURRENCY: withDefault("2", wholeNumberSetting(1, 16)),
  OPSFEED_PARSE_WORKERS: withDefault("1", wholeNumberSetting(0, 16)),
  OPSFEED_DIGEST_CRON: withDefault("* * * * *", cronSetting("* * * * *")),
  OPSFEED_DIGEST_CONCURRENCY: withDefault("32", wholeNumberSetting(1, 256)),
  OPSFEED_TIMEZONE: withDefault(
    "UTC",
    z
      .string()
      .refine(isTimeZone, { error: "expected an IANA time zone such as UTC or Asia/Tokyo" }),
  ),
  OPSFEED_DIGEST_MAX_ARTICLES: withDefault(
    "30",
    z.coerce
      .number({ error: "expected a whole number 1-200" })
      .int({ error: "expected a whole number 1-200" })
      .min(1, { error: "expected a whole number 1-200" })
      .max(200, { error: "expected a whole number 1-200" }),
  ),
  OPSFEED_LOCALE: withDefault("en", z.enum(LOCALES, { error: "expected en or ja" })),
  LOG_LEVEL: withDefault(
    "info",
    z.enum(LOG_LEVELS, { error: "expected debug, info, warn or error" }),
  ),
  LOG_FORMAT: withDefault("text", z.enum(LOG_FORMATS, { error: "expected text or json" })),
  OPSFEED_SAVE_REACTION: withDefault("bookmark", emojiSetting("bookmark")),
  OPSFEED_DONE_REACTION: withDefault("white_check_mark", emojiSetting("white_check_mark")),
  OPSFEED_RETENTION_DAYS: withDefault(
    "90",
    z
      .string()
      .regex(/^\d{1,4}$/, { error: RETENTION_PROBLEM })
      .transform(Number)
      .pipe(z.number().max(3650, { error: RETENTION_PROBLEM })),
  ),
  HATENA_API_URL: withDefault(
    "https://b.hatena.ne.jp/",
    z
      .url({
        protocol: /^https?$/,
        error: "expected an http(s) URL like https://b.hatena.ne.jp/",
      })
      .refine((url) => url.endsWith("/"), {
        error: "expected the URL to end with / (like https://b.hatena.ne.jp/)",
      }),
  ),
});

/** DATABASE_URL as it may be logged: a Postgres URL's password is masked. */
export function databaseForLogs(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (!url.password) return databaseUrl;
    url.password = "***";
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** Settings for the operator CLI, which works without Slack where it can. */
export type OperatorSettings = Omit<Settings, "slackBotToken"> & { slackBotToken: string | null };

/** The outcome of reading the operator CLI's settings. */
export type OperatorSettingsResult =
  | { ok: true; settings: OperatorSettings }
  | { ok: false; problems: string[] };

/** Reads and validates the app's settings from an environment; never throws, never exits. */
export function readSettings(env: NodeJS.ProcessEnv): SettingsResult {
  const result = parseEnvironment(env, true);
  if (!result.ok) return result;
  return {
    ok: true,
    settings: { ...result.settings, slackBotToken: result.settings.slackBotToken ?? "" },
  };
}

/** Reads the operator CLI's settings: the same checks, but Slack's tokens are optional. */
export function readOperatorSettings(env: NodeJS.ProcessEnv): OperatorSettingsResult {
  return parseEnvironment(env, false);
}

function parseEnvironment(env: NodeJS.ProcessEnv, requireSlack: boolean): OperatorSettingsResult {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (requireSlack && !env.SLACK_BOT_TOKEN?.trim()) {
    problems.push("SLACK_BOT_TOKEN: required: the bot token (xoxb-…)");
  }
  if (!parsed.success) {
    const named = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "settings");
      // One line per setting: the first problem found is the one to fix.
      if (named.has(name)) continue;
      named.add(name);
      const raw = env[name];
      const got = raw === undefined || raw.trim() === "" ? "" : `, got ${JSON.stringify(raw)}`;
      problems.push(`${name}: ${issue.message}${got}`);
    }
  }
  const values = parsed.success ? parsed.data : null;
  // HTTP mode verifies every request with the signing secret; Socket Mode does not need it.
  const socketMode = Boolean(env.SLACK_APP_TOKEN?.trim());
  if (requireSlack && !socketMode && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push(
      "SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  const proxy = readProxySettings(env);
  problems.push(...proxy.problems);
  if (values && values.OPSFEED_SAVE_REACTION === values.OPSFEED_DONE_REACTION) {
    problems.push(
      `OPSFEED_DONE_REACTION: expected an emoji other than OPSFEED_SAVE_REACTION's, got ${JSON.stringify(values.OPSFEED_DONE_REACTION)} for both`,
    );
  }
  if (problems.length > 0 || values === null) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      slackBotToken: values.SLACK_BOT_TOKEN ?? null,
      slackSigningSecret: values.SLACK_SIGNING_SECRET ?? null,
      slackAppToken: values.SLACK_APP_TOKEN ?? null,
      slackApiUrl: values.SLACK_API_URL ?? null,
      port: values.PORT,
      databaseUrl: values.DATABASE_URL,
      allowPrivateNetworks: values.OPSFEED_ALLOW_PRIVATE_NETWORKS,
      pollCron: values.OPSFEED_POLL_CRON,
      realtimePollSeconds: values.OPSFEED_REALTIME_POLL_SECONDS,
      pollConcurrency: {
        total: values.OPSFEED_POLL_CONCURRENCY,
        perHost: values.OPSFEED_POLL_HOST_CONCURRENCY,
      },
      parseWorkers: values.OPSFEED_PARSE_WORKERS,
      digestCron: values.OPSFEED_DIGEST_CRON,
      timeZone: values.OPSFEED_TIMEZONE,
      digestMaxArticles: values.OPSFEED_DIGEST_MAX_ARTICLES,
      digestConcurrency: values.OPSFEED_DIGEST_CONCURRENCY,
      locale: values.OPSFEED_LOCALE,
      logLevel: values.LOG_LEVEL,
      logFormat: values.LOG_FORMAT,
      proxy: proxy.settings,
      saveReaction: values.OPSFEED_SAVE_REACTION,
      doneReaction: values.OPSFEED_DONE_REACTION,
      hatenaApiUrl: values.HATENA_API_URL,
      retentionDays: values.OPSFEED_RETENTION_DAYS,
    },
  };
}
