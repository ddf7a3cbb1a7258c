import { getChannelSchedule } from "../../digest/channel-schedule.js";
import { describeFilters } from "../../feeds/filters.js";
import {
  listSubscriptions,
  subscribeChannel,
  unsubscribeChannel,
} from "../../feeds/subscriptions.js";
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
  const outcome = await subscribeChannel(
    {
      db: services.db,
      clock: services.clock,
      fetcher: services.fetcher,
      defaultTimeZone: services.settings.timeZone,
    },
    { channelId, userId, feedUrl: command.feedUrl, filters },
  );
  context.logger.info("subscribed", {
    subscription: outcome.subscriptionId,
    feedUrl: outcome.feedUrl,
    updated: outcome.updated,
  });
  return renderSubscribeReply(locale, outcome, describeFilters(filters));
};

/** `/opsfeed unsubscribe <subscription-id or feed-url>`. */
export const unsubscribe: CommandHandler<"unsubscribe"> = async (context, command) => {
  const removed = await unsubscribeChannel(context.services.db, context.channelId, command.target);
  context.logger.info("unsubscribed", { feedUrl: removed.feedUrl });
  return renderUnsubscribeReply(context.locale, removed);
};

/** `/opsfeed list`. */
export const list: CommandHandler<"list"> = async ({ services, channelId, locale }) => {
  const schedule = await getChannelSchedule(services.db, channelId);
  return renderSubscriptionList(
    locale,
    await listSubscriptions(services.db, channelId),
    schedule?.lastErrorCode ?? null,
  );
};
