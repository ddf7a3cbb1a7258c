import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";
import { registerAppHome } from "./app-home.js";
import { registerArticleActions } from "./article-actions.js";
import { registerMessageShortcuts } from "./message-shortcuts.js";
import { registerQueueViews } from "./queue-views.js";
import { registerReactions } from "./reactions.js";
import { registerReader } from "./reader.js";
import { registerSearchActions } from "./search-actions.js";
import { registerSlashCommand } from "./slash-command.js";
import {
  ignoreUnknownRequests,
  type ListenedIds,
  recordingListenedIds,
} from "./unknown-requests.js";

/** Registers every listener: a feature adds its actions, views and events here. */
export function registerListeners(app: App, slack: SlackContext): void {
  const ids: ListenedIds = { actions: new Set(), callbacks: new Set(), complete: true };
  ignoreUnknownRequests(app, ids, slack.logger);
  const listening = recordingListenedIds(app, ids);
  registerSlashCommand(listening, slack);
  registerArticleActions(listening, slack);
  registerQueueViews(listening, slack);
  registerAppHome(listening, slack);
  registerReactions(listening, slack);
  registerMessageShortcuts(listening, slack);
  registerReader(listening, slack);
  registerSearchActions(listening, slack);
}
