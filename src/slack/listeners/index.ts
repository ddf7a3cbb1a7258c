import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { registerAppHome } from "./app-home.js";
import { registerArticleActions } from "./article-actions.js";
import { registerQueueViews } from "./queue-views.js";
import { registerSlashCommand } from "./slash-command.js";

/** Registers every listener: a feature adds its actions, views and events here. */
export function registerListeners(app: App, services: Services): void {
  registerSlashCommand(app, services);
  registerArticleActions(app, services);
  registerQueueViews(app, services);
  registerAppHome(app, services);
}
