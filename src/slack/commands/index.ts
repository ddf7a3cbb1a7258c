import type { Command } from "../../commands/parse-command.js";
import { digestAt, digestNow, digestOff, digestShow } from "./digest.js";
import { hatena, preview, why } from "./explain.js";
import { showHelp } from "./help.js";
import { assign, assigned, comment, comments, done, laterAdd, laterList } from "./queue.js";
import type { CommandHandlers } from "./registry.js";
import { reportAt, reportOff, reportShow } from "./report.js";
import { search } from "./search.js";
import { list, subscribe, unsubscribe } from "./subscriptions.js";

/**
 * How far each subcommand reaches into the channel it is typed in, checked before it runs:
 * "channel" acts on the channel (the user must be allowed in it), "article" names articles
 * (a private channel the user is not in is refused), "personal" is the user's own.
 */
export const commandScopes: { [N in Command["name"]]: "channel" | "article" | "personal" } = {
  help: "personal",
  subscribe: "channel",
  unsubscribe: "channel",
  list: "channel",
  "digest-now": "channel",
  "digest-at": "channel",
  "digest-off": "channel",
  "digest-show": "channel",
  "later-list": "personal",
  "later-add": "article",
  done: "article",
  assign: "article",
  assigned: "personal",
  comment: "channel",
  comments: "article",
  // Fetches a feed for the user alone and stores nothing of any channel.
  preview: "personal",
  // Tells what this channel's subscriptions and digests did: for those allowed in the channel.
  why: "channel",
  hatena: "article",
  "report-show": "channel",
  "report-at": "channel",
  "report-off": "channel",
  search: "channel",
};

/** Every subcommand opsfeed can carry out, by name. */
export const commandHandlers: CommandHandlers = {
  help: showHelp,
  subscribe,
  unsubscribe,
  list,
  "digest-now": digestNow,
  "digest-at": digestAt,
  "digest-off": digestOff,
  "digest-show": digestShow,
  "later-list": laterList,
  "later-add": laterAdd,
  done,
  assign,
  assigned,
  comment,
  comments,
  preview,
  why,
  hatena,
  "report-show": reportShow,
  "report-at": reportAt,
  "report-off": reportOff,
  search,
};
