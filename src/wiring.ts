import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { webApi } from "@slack/bolt";
import { type ChannelDirectory, createAccess } from "./access/access.js";
import { databaseForLogs, type OperatorSettings, type Settings } from "./config/settings.js";
import { migrateDatabaseAt, openDatabaseAt, requireMigrated } from "./database-files.js";
import { createLeases } from "./delivery/leases.js";
import { createOutbox } from "./delivery/outbox.js";
import type { MessagePayload, MessageSender } from "./delivery/types.js";
import type { DigestDeps } from "./digest/digest-service.js";
import { createDigestService } from "./digest/digests.js";
import { createDigestLineRefresher, type DigestMessageEditor } from "./digest/line-refresher.js";
import { createFeedService, type FeedPreview, previewFeed } from "./feeds/feed-service.js";
import { createFeedFetcher, type FeedFetcher } from "./feeds/fetch-feed.js";
import { createHatenaComments, createHatenaFetcher } from "./feeds/hatena-comments.js";
import { createOutboxFeedNotifier } from "./feeds/notices.js";
import { createParsePool, type FeedParser } from "./feeds/parse-worker-pool.js";
import type { FeedNotice, FeedNotifier } from "./feeds/poller.js";
import type { SubscriptionFilters } from "./feeds/types.js";
import { buildJobs } from "./jobs/index.js";
import { createScheduler } from "./jobs/scheduler.js";
import type { Logger } from "./logger.js";
import { NO_METRICS } from "./metrics/no-op.js";
import { createPrometheusMetrics } from "./metrics/prometheus.js";
import type { Metrics } from "./metrics/types.js";
import { createPageFetcher, fetchPage } from "./pages/fetch-page.js";
import {
  createReadingService,
  type HomePublisher,
  type ReadingMessages,
  type UserDirectory,
} from "./queue/reading.js";
import { createReminderService } from "./queue/reminders.js";
import { createSavedLinkService, type MessageReader } from "./queue/saved-links.js";
import type { WeeklyReport } from "./queue/types.js";
import { createReportService } from "./queue/weekly-report.js";
import { createRealtimeService } from "./realtime/realtime-service.js";
import type { RealtimePostEditor, RealtimeRenderer } from "./realtime/types.js";
import { createRetentionService } from "./retention/retention.js";
import { createSearchService } from "./search/search.js";
import type { Services } from "./services.js";
import { createBoltApp } from "./slack/app.js";
import { createSlackHttp, SLACK_CALL_TIMEOUT_MS, type SlackHttp } from "./slack/http.js";
import { registerListeners } from "./slack/listeners/index.js";
import { createChannelDirectory } from "./slack/ports/channel-directory.js";
import { createDigestMessageEditor } from "./slack/ports/digest-message-editor.js";
import { createMessageReader } from "./slack/ports/message-reader.js";
import { createMessageSender, pauseBetweenMessages } from "./slack/ports/message-sender.js";
import { createPermalinks } from "./slack/ports/permalinks.js";
import { createHomePublisher, createReadingMessages } from "./slack/ports/reading-notifier.js";
import { createRealtimePostEditor } from "./slack/ports/realtime-post-editor.js";
import { createUserDirectory, type SlackUserDirectory } from "./slack/ports/user-directory.js";
import { renderDigestPayloads } from "./slack/render/digest.js";
import { realtimeRenderer } from "./slack/render/realtime-post.js";
import { renderReport } from "./slack/render/report.js";
import { renderFeedNotice } from "./slack/render/subscriptions.js";
import { type Checkpointer, startCheckpointer } from "./store/checkpointer.js";
import { type Db, type HealthProbe, isDatabaseHealthy, openHealthProbe } from "./store/database.js";
import { createSubscriptionService } from "./subscriptions/subscription-service.js";
import { createWhyService, type Permalinks } from "./subscriptions/why.js";
import { USER_AGENT, VERSION } from "./version.js";

/*
 * The composition root: the one place that opens the database, builds the clock, the
 * fetcher and the Slack-side ports, constructs the use cases from them, and hands those to
 * the Bolt listeners, the jobs and the CLI.
 */

/** What the use cases need from Slack, implemented in `slack/ports/` and `slack/render/`. */
export interface SlackPorts {
  /** posts messages and finds them again by their key */
  sender: MessageSender;
  renderDigest: DigestDeps["render"];
  renderNotice: (notice: FeedNotice) => MessagePayload;
  /** the weekly report as posted in its channel */
  renderReport: (report: WeeklyReport) => MessagePayload;
  messages: ReadingMessages;
  publishHome: HomePublisher;
  digestEditor: DigestMessageEditor;
  directory: UserDirectory;
  /** who may see which channel */
  channels: ChannelDirectory;
  /** reads the messages people react to */
  messageReader: MessageReader;
  /** links to posted messages (`why` links the digest that showed an article) */
  permalinks: Permalinks;
  /** renders realtime posts and their thread updates */
  renderRealtime: RealtimeRenderer;
  /** edits a posted realtime message when its article changes */
  realtimeEditor: RealtimePostEditor;
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
  /** how feed notices reach channels, when not through the outbox (the CLI without a token) */
  feedNotifier?: FeedNotifier;
  metrics: Metrics;
  /** how fetched feeds are parsed (the app's worker pool); inline when unset */
  parser?: FeedParser;
}

/** This process's name in leases: host, pid and a random part (pids repeat across restarts). */
function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Constructs every use case from its parts. */
export function buildServices(parts: ServiceParts): Services {
  const { settings, db, logger, clock, ports } = parts;
  const fetcher = fetcherFor(settings, parts.parser);
  const leases = createLeases({ db, owner: processOwner(), clock, logger });
  const outbox = createOutbox({
    db,
    clock,
    logger,
    sender: ports.sender,
    leases,
    // A reminder counts once Slack took it, on whichever attempt.
    onSent: ({ key }) => {
      if (key.startsWith("reminder:")) parts.metrics.reminderSent();
    },
  });
  const digestLines = createDigestLineRefresher({ db, edit: ports.digestEditor, leases, logger });
  const realtime = createRealtimeService({
    db,
    clock,
    logger,
    outbox,
    leases,
    render: ports.renderRealtime,
    edit: ports.realtimeEditor,
    metrics: parts.metrics,
    pause: parts.pause,
  });
  const feeds = createFeedService(
    {
      db,
      clock,
      fetcher,
      leases,
      logger,
      notify: parts.feedNotifier ?? createOutboxFeedNotifier(outbox, ports.renderNotice),
      // A re-polled Hatena count shows in the digest lines of the articles it changed.
      articlesRecounted: async (articleIds, trx) => {
        for (const articleId of articleIds) await digestLines.articleChanged(articleId, trx);
      },
      onStored: realtime,
    },
    parts.metrics,
    {
      realtimePollSeconds: settings.realtimePollSeconds,
      pollConcurrency: settings.pollConcurrency,
    },
  );
  const access = createAccess({ db, channels: ports.channels });
  const reading = createReadingService({
    db,
    clock,
    directory: ports.directory,
    access,
    messages: ports.messages,
    outbox,
    publishHome: ports.publishHome,
    digestLines,
  });
  const pageFetcher = createPageFetcher({
    allowPrivateNetworks: settings.allowPrivateNetworks,
    userAgent: USER_AGENT,
    proxy: settings.proxy,
  });
  return {
    settings,
    logger,
    clock,
    metrics: parts.metrics,
    feeds,
    digestLines,
    realtime,
    delivery: outbox,
    access,
    subscriptions: createSubscriptionService({
      db,
      clock,
      fetcher,
      defaultTimeZone: settings.timeZone,
      onStored: realtime,
    }),
    digests: createDigestService({
      db,
      clock,
      logger,
      maxArticles: settings.digestMaxArticles,
      render: ports.renderDigest,
      outbox,
      leases,
      pause: parts.pause,
      defaultTimeZone: settings.timeZone,
      concurrency: settings.digestConcurrency,
      refreshChannelFeeds: feeds.pollChannel,
      metrics: parts.metrics,
    }),
    reading,
    reminders: createReminderService({
      db,
      clock,
      directory: ports.directory,
      messages: ports.messages,
      outbox,
      leases,
      logger,
      refreshHomes: reading.refreshHomes,
    }),
    reports: createReportService({
      db,
      clock,
      outbox,
      leases,
      logger,
      defaultTimeZone: settings.timeZone,
      render: ports.renderReport,
    }),
    links: createSavedLinkService({
      db,
      clock,
      fetchPage: (url) => fetchPage(pageFetcher, url),
      reading,
      access,
      digestLines,
      directory: ports.directory,
      messages: ports.messageReader,
      reactions: { save: settings.saveReaction, done: settings.doneReaction },
    }),
    why: createWhyService({ db, access, permalinks: ports.permalinks }),
    hatena: createHatenaComments({
      fetcher: createHatenaFetcher({
        allowPrivateNetworks: settings.allowPrivateNetworks,
        userAgent: USER_AGENT,
        proxy: settings.proxy,
      }),
      apiUrl: settings.hatenaApiUrl,
      clock,
    }),
    search: createSearchService({ db, access }),
    retention: createRetentionService({
      db,
      clock,
      leases,
      logger,
      metrics: parts.metrics,
      retentionDays: settings.retentionDays,
    }),
    isHealthy: () => isDatabaseHealthy(db),
  };
}

/** The fetcher every feed request goes through, with the network policy from settings. */
function fetcherFor(settings: OperatorSettings, parser?: FeedParser): FeedFetcher {
  return createFeedFetcher(
    {
      allowPrivateNetworks: settings.allowPrivateNetworks,
      userAgent: USER_AGENT,
      proxy: settings.proxy,
    },
    parser,
  );
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
  http: SlackHttp,
  settings: OperatorSettings,
  logger: Logger,
  clock: () => Date,
  directory: SlackUserDirectory,
): SlackPorts {
  return {
    sender: createMessageSender(client, http, logger),
    renderDigest: renderDigestPayloads(settings.locale),
    renderNotice: (notice) => renderFeedNotice(settings.locale, notice),
    renderReport: (report) => renderReport(settings.locale, report),
    messages: createReadingMessages(directory.localeOf, settings.locale),
    publishHome: createHomePublisher({
      slack: client,
      logger,
      localeOf: directory.localeOf,
      timeZoneOf: directory.timeZoneOf,
      clock,
    }),
    digestEditor: createDigestMessageEditor(client, logger, settings.locale),
    directory,
    channels: createChannelDirectory(client, clock),
    messageReader: createMessageReader(client, logger),
    permalinks: createPermalinks(client, logger),
    renderRealtime: realtimeRenderer(settings.locale),
    realtimeEditor: createRealtimePostEditor(client, logger),
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
  /** the deadline of each Web API call (tests of hung calls shorten it) */
  slackTimeoutMs?: number;
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
  let health: HealthProbe | null = null;
  let checkpointer: Checkpointer | null = null;
  // Large feeds are parsed in worker threads, so the event loop keeps answering Slack.
  const parsePool = createParsePool({ workers: settings.parseWorkers });
  try {
    await migrateDatabaseAt(db, settings.databaseUrl);
    // /healthz answers on a connection of its own while a feed's transaction holds the main one.
    const probe = openHealthProbe(db);
    health = probe;
    // SQLite's WAL is copied back into the file by a worker thread, not by a commit.
    checkpointer = await startCheckpointer(db);
    const prometheus = createPrometheusMetrics(VERSION);
    const slackHttp = createSlackHttp(
      prometheus.metrics,
      settings.proxy,
      options.slackTimeoutMs ?? SLACK_CALL_TIMEOUT_MS,
    );
    const bolt = createBoltApp(settings, logger, {
      isHealthy: () => probe.isHealthy(),
      metrics: prometheus.metrics,
      renderMetrics: async () => ({
        contentType: prometheus.contentType,
        body: await prometheus.render(),
      }),
      http: slackHttp,
    });
    const directory = createUserDirectory(
      bolt.client,
      { locale: settings.locale, timeZone: settings.timeZone },
      logger,
      clock,
    );
    const ports = slackPorts(bolt.client, slackHttp, settings, logger, clock, directory);
    const services = buildServices({
      settings,
      db,
      logger,
      clock,
      ports: options.decoratePorts ? options.decoratePorts(ports) : ports,
      pause: options.pause ?? pauseBetweenMessages,
      metrics: prometheus.metrics,
      parser: parsePool.parse,
    });
    prometheus.readFeedHealthFrom(services.feeds.healthSummary);
    prometheus.readSearchBacklogFrom(services.search.backlogSize);
    registerListeners(bolt.app, { services, client: bolt.client, directory, logger });
    const port = await bolt.start();
    const scheduler = createScheduler(buildJobs(services), logger);
    if (options.startJobs !== false) scheduler.start();
    logger.info(port === null ? "opsfeed connected to Slack in Socket Mode" : "opsfeed listening", {
      port,
      database: databaseForLogs(settings.databaseUrl),
    });
    return {
      port,
      services,
      db,
      async stop() {
        await bolt.stop();
        services.digests.close();
        // Digest lines waiting for their debounce are updated before the database closes.
        await services.digestLines.flush();
        await scheduler.stop();
        await parsePool.close();
        probe.close();
        await checkpointer?.stop();
        await db.destroy();
        logger.info("opsfeed stopped");
      },
    };
  } catch (error) {
    await parsePool.close();
    health?.close();
    await checkpointer?.stop();
    await db.destroy();
    throw error;
  }
}

/** A Web API client for the bot token, with the same options as the app's, and its HTTP layer. */
export function slackClientFor(
  token: string,
  settings: OperatorSettings,
): { client: webApi.WebClient; http: SlackHttp } {
  const http = createSlackHttp(NO_METRICS, settings.proxy);
  const client = new webApi.WebClient(token, {
    ...http.clientOptions,
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
  });
  return { client, http };
}

/** Ports for an operator without a bot token: nothing reaches Slack. */
function offlinePorts(settings: OperatorSettings): SlackPorts {
  const notAuthed = { kind: "rejected", code: "not_authed", permanent: true } as const;
  return {
    sender: {
      post: async () => notAuthed,
      find: async () => ({ kind: "absent" }),
      openDirect: async () => notAuthed,
    },
    renderDigest: renderDigestPayloads(settings.locale),
    renderNotice: (notice) => renderFeedNotice(settings.locale, notice),
    renderReport: (report) => renderReport(settings.locale, report),
    messages: createReadingMessages(async () => settings.locale, settings.locale),
    publishHome: async () => {},
    digestEditor: async () => false,
    directory: { member: async () => null, timeZoneOf: async () => settings.timeZone },
    // The operator runs the CLI on the host: no Slack user's boundaries apply.
    channels: { kindOf: async () => "public", isMember: async () => true },
    messageReader: { read: async () => null },
    permalinks: { permalink: async () => null },
    renderRealtime: realtimeRenderer(settings.locale),
    realtimeEditor: async () => false,
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
    const token = settings.slackBotToken;
    const online = token
      ? (() => {
          const { client, http } = slackClientFor(token, settings);
          const directory = createUserDirectory(
            client,
            { locale: settings.locale, timeZone: settings.timeZone },
            logger,
            clock,
          );
          return slackPorts(client, http, settings, logger, clock, directory);
        })()
      : null;
    const services = buildServices({
      settings,
      db,
      logger,
      clock,
      ports: online ?? offlinePorts(settings),
      pause: pauseBetweenMessages,
      metrics: NO_METRICS,
      ...(online ? {} : { feedNotifier: offlineNotice }),
    });
    const result = await work(services);
    await services.digestLines.flush();
    return result;
  } finally {
    await db.destroy();
  }
}
