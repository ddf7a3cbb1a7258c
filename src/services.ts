import type { Access } from "./access/access.js";
import type { OperatorSettings } from "./config/settings.js";
import type { Outbox } from "./delivery/outbox.js";
import type { DigestService } from "./digest/digests.js";
import type { DigestLineRefresher } from "./digest/line-refresher.js";
import type { FeedService } from "./feeds/feed-service.js";
import type { HatenaCommentsService } from "./feeds/hatena-comments.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics/types.js";
import type { ReadingService } from "./queue/reading.js";
import type { ReminderService } from "./queue/reminders.js";
import type { SavedLinkService } from "./queue/saved-links.js";
import type { ReportService } from "./queue/weekly-report.js";
import type { RealtimeService } from "./realtime/realtime-service.js";
import type { RetentionService } from "./retention/retention.js";
import type { SearchService } from "./search/search.js";
import type { SubscriptionService } from "./subscriptions/subscription-service.js";
import type { WhyService } from "./subscriptions/why.js";

/**
 * The use cases of a running opsfeed, built once by the composition root (`wiring.ts`) and
 * handed to the Slack listeners, the jobs and the CLI. Nothing here knows Slack or cron.
 */
export interface Services {
  /** validated settings (the CLI may run without a bot token) */
  settings: OperatorSettings;
  logger: Logger;
  /** the current time; tests freeze it */
  clock: () => Date;
  /** what the jobs and listeners count (Prometheus in the app, nothing in the CLI) */
  metrics: Metrics;
  feeds: FeedService;
  subscriptions: SubscriptionService;
  digests: DigestService;
  reading: ReadingService;
  /** due-date reminders, and the Done and Snooze on them */
  reminders: ReminderService;
  /** the weekly reading report of a channel, on demand and on its schedule */
  reports: ReportService;
  /** saving from anywhere: any URL, a message's links, reactions, message shortcuts */
  links: SavedLinkService;
  /** `search <words>` over what a channel has seen */
  search: SearchService;
  /** keeps the team-activity line under digest articles up to date */
  digestLines: DigestLineRefresher;
  /** realtime subscriptions: each new article posted at once, its updates in the post's thread */
  realtime: RealtimeService;
  /** the outbox every message opsfeed posts on its own goes through */
  delivery: Outbox;
  /** who may read and do what: the access model */
  access: Access;
  /** `why`: what became of an article in a channel */
  why: WhyService;
  /** an article's public Hatena Bookmark comments (cached for minutes) */
  hatena: HatenaCommentsService;
  /** prunes old articles and sent messages' payloads (OPSFEED_RETENTION_DAYS) */
  retention: RetentionService;
  /** true when the database answers */
  isHealthy(): Promise<boolean>;
}
