import { describeFilters } from "../../feeds/filters.js";
import {
  renderSubscribeReply,
  renderSubscriptionList,
  renderUnsubscribeReply,
} from "../render/subscriptions.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed subscribe <feed-url> [include:…] [exclude:…] [min:N]`. */
export const subscribe: CommandHandler<"subscribe"> = async (context, command) => {
  const { services, channelId, userId, locale } = context;
  const filters = {
    include: command.include,
    exclude: command.exclude,
    minBookmarks: command.minBookmarks,
  };
  const outcome = await services.subscriptions.subscribe({
    channelId,
    userId,
    feedUrl: command.feedUrl,
    filters,
    delivery: {
      mode: command.realtime ? "realtime" : "digest",
      mention: command.realtime ? command.mention : null,
    },
  });
  context.logger.info("subscribed", {
    subscription: outcome.subscriptionId,
    feedUrl: outcome.feedUrl,
    updated: outcome.updated,
    mode: outcome.delivery.mode,
  });
  return renderSubscribeReply(locale, outcome, describeFilters(filters), {
    realtimePollSeconds: services.settings.realtimePollSeconds,
  });
};

/** `/opsfeed unsubscribe <subscription-id or feed-url>`. */
export const unsubscribe: CommandHandler<"unsubscribe"> = async (context, command) => {
  const removed = await context.services.subscriptions.unsubscribe(
    context.channelId,
    command.target,
  );
  context.logger.info("unsubscribed", { feedUrl: removed.feedUrl });
  return renderUnsubscribeReply(context.locale, removed);
};

/** `/opsfeed list`. */
export const list: CommandHandler<"list"> = async ({ services, channelId, locale }) => {
  const { subscriptions, digestError } = await services.subscriptions.list(channelId);
  return renderSubscriptionList(locale, subscriptions, digestError);
};
