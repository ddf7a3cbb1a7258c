import { renderReport, renderReportOff, renderReportScheduleSet } from "../render/report.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed report`: this channel's last 7 days, for the user alone. */
export const reportShow: CommandHandler<"report-show"> = async ({ services, channelId, locale }) =>
  renderReport(locale, await services.reports.show(channelId));

/** `/opsfeed report at <weekday> HH:MM [zone]`. */
export const reportAt: CommandHandler<"report-at"> = async (
  { services, channelId, userId, locale },
  command,
) =>
  renderReportScheduleSet(
    locale,
    await services.reports.setSchedule(channelId, userId, {
      weekday: command.weekday,
      hour: command.hour,
      minute: command.minute,
      timeZone: command.timeZone,
    }),
  );

/** `/opsfeed report off`. */
export const reportOff: CommandHandler<"report-off"> = async ({ services, channelId, locale }) =>
  renderReportOff(locale, await services.reports.disable(channelId));
