import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";
import { registerAppHome } from "./app-home.js";
import { registerArticleActions } from "./article-actions.js";
import { registerMessageShortcuts } from "./message-shortcuts.js";
import { registerQueueViews } from "./queue-views.js";
import { registerReactions } from "./reactions.js";
import { registerSlashCommand } from "./slash-command.js";

/** Registers every listener: a feature adds its actions, views and events here. */
export function registerListeners(app: App, slack: SlackContext): void {
  registerSlashCommand(app, slack);
  registerArticleActions(app, slack);
  registerQueueViews(app, slack);
  registerAppHome(app, slack);
  registerReactions(app, slack);
  registerMessageShortcuts(app, slack);
}
