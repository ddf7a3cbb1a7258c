import type { Services } from "../services.js";
import { digestJob } from "./digests.js";
import { pollFeedsJob } from "./poll-feeds.js";
import type { Job } from "./scheduler.js";

/** The recurring jobs of a running opsfeed: a feature adds its job here. */
export function buildJobs(services: Services): Job[] {
  return [pollFeedsJob(services), digestJob(services)];
}
