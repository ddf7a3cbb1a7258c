import type { Metrics } from "./types.js";

/** Metrics that count nothing: for the operator CLI, whose process is gone before any scrape. */
export const NO_METRICS: Metrics = {
  slackRequest: () => {},
  slackApiCall: () => {},
  slackConnected: () => {},
  feedPolled: () => {},
  articlesStored: () => {},
  digestPosted: () => {},
  digestParked: () => {},
  realtimePosted: () => {},
  reminderSent: () => {},
  articlesPruned: () => {},
  payloadsCleared: () => {},
};
