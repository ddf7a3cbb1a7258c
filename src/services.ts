import type { WebClient } from "@slack/web-api";
import type { Settings } from "./config/settings.js";
import type { FeedFetcher } from "./feeds/fetch-feed.js";
import type { Logger } from "./logger.js";
import type { LocaleResolver } from "./slack/locale-resolver.js";
import type { TeamActivity } from "./slack/team-activity.js";
import type { Db } from "./store/database.js";

/** What listeners and jobs need from the running process, passed explicitly. */
export interface Services {
  settings: Settings;
  db: Db;
  logger: Logger;
  /** the current time; tests freeze it */
  clock: () => Date;
  /** the Slack Web API client, reaching SLACK_API_URL */
  slack: WebClient;
  localeOf: LocaleResolver;
  /** every feed request goes through it, with the network policy from settings */
  fetcher: FeedFetcher;
  /** DMs, digest threads, App Home and digest updates that follow the team's actions */
  teamActivity: TeamActivity;
}
