import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";

/** Registers App Home: opening it shows the user's queue and assignments. */
export function registerAppHome(app: App, slack: SlackContext): void {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    await slack.services.reading.refreshHomes([event.user]);
  });
}
