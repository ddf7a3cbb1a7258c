import type { App } from "@slack/bolt";
import type { Logger } from "../../logger.js";

/** The ids the app's listeners take: action ids, and callback ids of views and shortcuts. */
export interface ListenedIds {
  actions: Set<string>;
  callbacks: Set<string>;
  /** false once a listener took a pattern rather than an id: then nothing is called unknown */
  complete: boolean;
}

/**
 * The app, for registering listeners, with every action, view and shortcut id they take
 * recorded in `ids`, so requests for ids nobody takes can be told apart at once.
 */
export function recordingListenedIds(app: App, ids: ListenedIds): App {
  const record = (set: Set<string>, constraint: unknown) => {
    const id =
      typeof constraint === "object" && constraint !== null
        ? ((constraint as { action_id?: unknown; callback_id?: unknown }).action_id ??
          (constraint as { callback_id?: unknown }).callback_id)
        : constraint;
    if (typeof id === "string") set.add(id);
    else ids.complete = false;
  };
  return new Proxy(app, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const set =
        property === "action"
          ? ids.actions
          : property === "view" || property === "shortcut"
            ? ids.callbacks
            : null;
      if (!set) return value.bind(target);
      return (constraint: unknown, ...rest: unknown[]) => {
        record(set, constraint);
        return value.call(target, constraint, ...rest);
      };
    },
  });
}

/**
 * Acknowledges at once, and logs, what no listener takes: a button or select with an unknown
 * action id, a view or shortcut with an unknown callback id, or an interaction without a user
 * (a forged payload). Slack would otherwise wait and show the user an error; nothing runs.
 */
export function ignoreUnknownRequests(app: App, ids: ListenedIds, logger: Logger): void {
  app.use(async (args) => {
    const body = args.body as {
      type?: string;
      user?: { id?: unknown };
      actions?: Array<{ action_id?: unknown }>;
      view?: { callback_id?: unknown };
      callback_id?: unknown;
    };
    const interactive = [
      "block_actions",
      "view_submission",
      "view_closed",
      "shortcut",
      "message_action",
    ];
    const unknownReason = (): string | null => {
      if (!interactive.includes(body.type ?? "")) return null;
      if (typeof body.user?.id !== "string") return "no user";
      if (!ids.complete) return null;
      if (body.type === "block_actions") {
        const known = (body.actions ?? []).some(
          (a) => typeof a.action_id === "string" && ids.actions.has(a.action_id),
        );
        return known ? null : "unknown action id";
      }
      const callback = body.type?.startsWith("view") ? body.view?.callback_id : body.callback_id;
      return typeof callback === "string" && ids.callbacks.has(callback)
        ? null
        : "unknown callback id";
    };
    const reason = unknownReason();
    if (reason === null) {
      await args.next();
      return;
    }
    logger.warn("a request from Slack nothing handles; acknowledged", { type: body.type, reason });
    // Interactions (the only requests stopped here) always carry an ack.
    await (args as unknown as { ack: () => Promise<void> }).ack();
  });
}
