import { digestAt, digestNow, digestOff, digestShow } from "./digest.js";
import { showHelp } from "./help.js";
import { assign, assigned, comment, comments, done, laterAdd, laterList } from "./queue.js";
import type { CommandHandlers } from "./registry.js";
import { list, subscribe, unsubscribe } from "./subscriptions.js";

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
};
