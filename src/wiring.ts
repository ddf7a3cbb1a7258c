import { webApi } from "@slack/bolt";
import type { OperatorSettings, Settings } from "./config/settings.js";
import { migrateDatabaseAt, openDatabaseAt, requireMigrated } from "./database-files.js";
import { DigestPostError, type DigestPoster } from "./digest/digest-service.js";
import { createDigestService } from "./digest/digests.js";
import { createDigestLineRefresher, type DigestMessageEditor } from "./digest/line-refresher.js";
import { createFeedService, type FeedPreview, previewFeed } from "./feeds/feed-service.js";
import { createFeedFetcher, type FeedFetcher } from "./feeds/fetch-feed.js";
import type { FeedNotifier } from "./feeds/poller.js";
import type { SubscriptionFilters } from "./feeds/types.js";
import { buildJobs } from "./jobs/index.js";
import { createScheduler } from "./jobs/scheduler.js";
import type { Logger } from "./logger.js";
import { NO_METRICS } from "./metrics/no-op.js";
import { createPrometheusMetrics } from "./metrics/prometheus.js";
import type { Metrics } from "./metrics/types.js";
import { createReadingService, type ReadingNotifier, type UserDirectory } from "./queue/reading.js";
import type { Services } from "./services.js";
import { createBoltApp } from "./slack/app.js";
import { createSlackHttp } from "./slack/http.js";
import { registerListeners } from "./slack/listeners/index.js";
import { createDigestMessageEditor } from "./slack/ports/digest-message-editor.js";
import { createDigestPoster, pauseBetweenMessages } from "./slack/ports/digest-poster.js";
import { createFeedNotifier } from "./slack/ports/feed-notifier.js";
import { createReadingNotifier } from "./slack/ports/reading-notifier.js";
import { createUserDirectory } from "./slack/ports/user-directory.js";
import { renderDigestPayloads } from "./slack/render/digest.js";
import { type Db, isDatabaseHealthy } from "./store/database.js";
import { createSubscriptionService } from "./subscriptions/subscription-service.js";
import { USER_AGENT, VERSION } from "./version.js";

/*
 * The composition root: the one place that opens the database, builds the clock, the
 * fetcher and the Slack-side ports, constructs the use cases from them, and hands those to
 * the Bolt listeners, the jobs and the CLI.
 */

/** What the use cases need from Slack, implemented in `slack/ports/`. */
export interface SlackPorts {
  digestPoster: DigestPoster;
  feedNotifier: FeedNotifier;
  readingNotifier: ReadingNotifier;
  digestEditor: DigestMessageEditor;
  directory: UserDirectory;
}

/** The parts the use cases are built from. */
export interface ServiceParts {
  settings: OperatorSettings;
  db: Db;
  logger: Logger;
  clock: () => Date;
  ports: SlackPorts;
  /** waits between two messages to one channel */
  pause: () => Promise<void>;
  metrics: Metrics;
}

/** Constructs every use case from its parts. */
export function buildServices(parts: ServiceParts): Services {
  const { settings, db, logger, clock, ports } = parts;
  const fetcher = fetcherFor(settings);
  const feeds = createFeedService(
    { db, clock, fetcher, logger, notify: ports.feedNotifier },
    parts.metrics,
  );
  const digestLines = createDigestLineRefresher({ db, edit: ports.digestEditor, logger });
  return {
    settings,
    logger,
    clock,
    metrics: parts.metrics,
    feeds,
    digestLines,
    subscriptions: createSubscriptionService({
      db,
      clock,
      fetcher,
      defaultTimeZone: settings.timeZone,
    }),
    digests: createDigestService({
      db,
      clock,
      logger,
      maxArticles: settings.digestMaxArticles,
      render: renderDigestPayloads(settings.locale),
      poster: ports.digestPoster,
      pause: parts.pause,
      defaultTimeZone: settings.timeZone,
      refreshChannelFeeds: feeds.pollChannel,
    }),
    reading: createReadingService({
      db,
      clock,
      directory: ports.directory,
      notifier: ports.readingNotifier,
      digestLines,
    }),
    isHealthy: () => isDatabaseHealthy(db),
  };
}

/** The fetcher every feed request goes through, with the network policy from settings. */
function fetcherFor(settings: OperatorSettings): FeedFetcher {
  return createFeedFetcher({
    allowPrivateNetworks: settings.allowPrivateNetworks,
    userAgent: USER_AGENT,
    proxy: settings.proxy,
  });
}

/** Previews a feed with the app's network policy, without a database or Slack (`opsfeed preview`). */
export function feedPreviewer(
  settings: OperatorSettings,
): (feedUrl: string, filters: SubscriptionFilters) => Promise<FeedPreview> {
  const fetcher = fetcherFor(settings);
  return (feedUrl, filters) => previewFeed(fetcher, feedUrl, filters);
}

/** The Slack-side ports over one Web API client. */
function slackPorts(
  client: webApi.WebClient,
  settings: OperatorSettings,
  logger: Logger,
  clock: () => Date,
  users: ReturnType<typeof createUserDirectory>,
): SlackPorts {
  return {
    digestPoster: createDigestPoster(client),
    feedNotifier: createFeedNotifier(client, logger, settings.locale),
    readingNotifier: createReadingNotifier({
      slack: client,
      logger,
      localeOf: users.localeOf,
      channelLocale: settings.locale,
      clock,
    }),
    digestEditor: createDigestMessageEditor(client, logger, settings.locale),
    directory: users,
  };
}

/** A started opsfeed: its port (HTTP mode), its services, and how to stop it. */
export interface RunningOpsfeed {
  port: number | null;
  services: Services;
  /** the database, for operators' tools and tests that inspect it */
  db: Db;
  /** stops serving Slack, then the jobs (waiting for runs in progress), then closes the database */
  stop(): Promise<void>;
}

/** How tests adjust a started opsfeed: a frozen clock, jobs off, no pause, faulty ports. */
export interface StartOptions {
  clock?: () => Date;
  startJobs?: boolean;
  pause?: () => Promise<void>;
  /** wraps the Slack-side ports (fault injection in tests) */
  decoratePorts?: (ports: SlackPorts) => SlackPorts;
}

/**
 * Starts opsfeed with valid settings: opens and migrates the database, builds the services,
 * checks the tokens with Slack while connecting, serves Slack, and starts the recurring jobs.
 */
export async function startOpsfeed(
  settings: Settings,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningOpsfeed> {
  const clock = options.clock ?? (() => new Date());
  const db = openDatabaseAt(settings.databaseUrl);
  try {
    await migrateDatabaseAt(db, settings.databaseUrl);
    const prometheus = createPrometheusMetrics(VERSION);
    const bolt = createBoltApp(settings, logger, {
      isHealthy: () => isDatabaseHealthy(db),
      metrics: prometheus.metrics,
      renderMetrics: async () => ({
        contentType: prometheus.contentType,
        body: await prometheus.render(),
      }),
      http: createSlackHttp(prometheus.metrics, settings.proxy),
    });
    const users = createUserDirectory(bolt.client, settings.locale, logger, clock);
    const ports = slackPorts(bolt.client, settings, logger, clock, users);
    const services = buildServices({
      settings,
      db,
      logger,
      clock,
      ports: options.decoratePorts ? options.decoratePorts(ports) : ports,
      pause: options.pause ?? pauseBetweenMessages,
      metrics: prometheus.metrics,
    });
    prometheus.readFeedHealthFrom(services.feeds.healthSummary);
    registerListeners(bolt.app, { services, client: bolt.client, directory: users, logger });
    const port = await bolt.start();
    const scheduler = createScheduler(buildJobs(services), logger);
    if (options.startJobs !== false) scheduler.start();
    logger.info(port === null ? "opsfeed connected to Slack in Socket Mode" : "opsfeed listening", {
      port,
      database: settings.databaseUrl,
    });
    return {
      port,
      services,
      db,
      async stop() {
        await bolt.stop();
        // Digest lines waiting for their debounce are updated before the database closes.
        await services.digestLines.flush();
        await scheduler.stop();
        await db.destroy();
        logger.info("opsfeed stopped");
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** A Web API client for the bot token, reaching SLACK_API_URL when it is set. */
export function slackClientFor(token: string, settings: OperatorSettings): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...createSlackHttp(NO_METRICS, settings.proxy).clientOptions,
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
  });
}

/** Ports for an operator without a bot token: notices go to `notify`, nothing reaches Slack. */
function offlinePorts(notify: FeedNotifier): SlackPorts {
  const refuse = async (): Promise<never> => {
    throw new DigestPostError("not_authed", true);
  };
  return {
    digestPoster: { post: refuse, findPosted: refuse },
    feedNotifier: notify,
    readingNotifier: {
      assigned: async () => {},
      assignmentDone: async () => {},
      assignmentCancelled: async () => {},
      commentInThread: async () => false,
      home: async () => {},
    },
    digestEditor: async () => {},
    directory: { member: async () => null },
  };
}

/**
 * Runs an operator verb's `work` with the services over the migrated database at
 * DATABASE_URL, closing it afterwards. With a bot token the services reach Slack; without
 * one, feed notices go to `offlineNotice` and nothing is posted. With `existingOnly` nothing
 * creates or migrates a database: a missing or unmigrated one is an error naming DATABASE_URL.
 */
export async function withOperatorServices<T>(
  settings: OperatorSettings,
  logger: Logger,
  offlineNotice: FeedNotifier,
  work: (services: Services) => Promise<T>,
  options: { existingOnly?: boolean } = {},
): Promise<T> {
  const clock = () => new Date();
  const db = openDatabaseAt(settings.databaseUrl, { mustExist: options.existingOnly });
  try {
    if (options.existingOnly) await requireMigrated(db, settings.databaseUrl);
    else await migrateDatabaseAt(db, settings.databaseUrl);
    let ports = offlinePorts(offlineNotice);
    if (settings.slackBotToken) {
      const client = slackClientFor(settings.slackBotToken, settings);
      const users = createUserDirectory(client, settings.locale, logger, clock);
      ports = slackPorts(client, settings, logger, clock, users);
    }
    const services = buildServices({
      settings,
      db,
      logger,
      clock,
      ports,
      pause: pauseBetweenMessages,
      metrics: NO_METRICS,
    });
    const result = await work(services);
    await services.digestLines.flush();
    return result;
  } finally {
    await db.destroy();
  }
}
