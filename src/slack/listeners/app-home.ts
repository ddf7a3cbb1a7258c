import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";

/** Registers App Home: opening it shows the user's queue and assignments. */
export function registerAppHome(app: App, services: Services): void {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    await services.teamActivity.refreshHomes([event.user]);
  });
}
