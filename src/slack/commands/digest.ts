import {
  disableChannelDigest,
  getChannelSchedule,
  setChannelSchedule,
} from "../../digest/channel-schedule.js";
import { postChannelDigest } from "../../digest/digest-service.js";
import { pollFeeds } from "../../feeds/poller.js";
import { digestDepsOf } from "../../jobs/digests.js";
import { pollDepsOf } from "../../jobs/poll-feeds.js";
import {
  renderDigestNowReply,
  renderScheduleOffReply,
  renderScheduleReply,
  renderScheduleSetReply,
} from "../render/schedule.js";
import type { CommandHandler } from "./registry.js";

/** How long `digest now` waits for its feeds to refresh before posting what it has. */
export const REFRESH_TIME_LIMIT_MS = 20_000;

/** `/opsfeed digest now`: refresh this channel's feeds, then post its digest for everyone. */
export const digestNow: CommandHandler<"digest-now"> = async ({
  services,
  channelId,
  locale,
  logger,
}) => {
  const feeds = await services.db
    .selectFrom("feeds")
    .innerJoin("subscriptions", "subscriptions.feed_id", "feeds.id")
    .selectAll("feeds")
    .where("subscriptions.channel_id", "=", channelId)
    .execute();
  if (feeds.length === 0) return renderDigestNowReply(locale, { status: "no-subscriptions" });
  // Bounded: a slow feed server must not hold the digest; its poll finishes in the background.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    pollFeeds(pollDepsOf(services), feeds),
    new Promise((resolve) => {
      timer = setTimeout(resolve, REFRESH_TIME_LIMIT_MS);
    }),
  ]);
  clearTimeout(timer);
  const outcome = await postChannelDigest(digestDepsOf(services), channelId, "command");
  logger.info("digest now", { outcome: outcome.status });
  return renderDigestNowReply(locale, outcome);
};

/** `/opsfeed digest at HH:MM [daily|weekdays] [zone]`. */
export const digestAt: CommandHandler<"digest-at"> = async (
  { services, channelId, locale },
  command,
) => {
  const schedule = await setChannelSchedule(
    services.db,
    channelId,
    { hour: command.hour, minute: command.minute, days: command.days, timeZone: command.timeZone },
    services.settings.timeZone,
    services.clock(),
  );
  return renderScheduleSetReply(locale, schedule);
};

/** `/opsfeed digest off`. */
export const digestOff: CommandHandler<"digest-off"> = async ({ services, channelId, locale }) => {
  await disableChannelDigest(services.db, channelId, services.clock());
  return renderScheduleOffReply(locale);
};

/** `/opsfeed digest`: the schedule, the next and the last digest. */
export const digestShow: CommandHandler<"digest-show"> = async ({ services, channelId, locale }) =>
  renderScheduleReply(locale, await getChannelSchedule(services.db, channelId));
