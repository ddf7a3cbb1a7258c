import {
  renderDigestNowReply,
  renderScheduleOffReply,
  renderScheduleReply,
  renderScheduleSetReply,
} from "../render/schedule.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed digest now`: refresh this channel's feeds, then post its digest for everyone. */
export const digestNow: CommandHandler<"digest-now"> = async ({
  services,
  channelId,
  locale,
  logger,
}) => {
  const outcome = await services.digests.postNow(channelId);
  if (outcome.status !== "no-subscriptions") {
    logger.info("digest now", { outcome: outcome.status });
    services.metrics.digestPosted(outcome.status);
  }
  return renderDigestNowReply(locale, outcome);
};

/** `/opsfeed digest at HH:MM [daily|weekdays] [zone]`. */
export const digestAt: CommandHandler<"digest-at"> = async (
  { services, channelId, locale },
  command,
) =>
  renderScheduleSetReply(
    locale,
    await services.digests.setSchedule(channelId, {
      hour: command.hour,
      minute: command.minute,
      days: command.days,
      timeZone: command.timeZone,
    }),
  );

/** `/opsfeed digest off`. */
export const digestOff: CommandHandler<"digest-off"> = async ({ services, channelId, locale }) => {
  await services.digests.disableSchedule(channelId);
  return renderScheduleOffReply(locale);
};

/** `/opsfeed digest`: the schedule, the next and the last digest. */
export const digestShow: CommandHandler<"digest-show"> = async ({ services, channelId, locale }) =>
  renderScheduleReply(locale, await services.digests.schedule(channelId));
