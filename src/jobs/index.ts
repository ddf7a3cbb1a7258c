import type { Services } from "../services.js";
import type { Job } from "./scheduler.js";

/** The recurring jobs of a running opsfeed: a feature adds its job here. */
export function buildJobs(_services: Services): Job[] {
  return [];
}
