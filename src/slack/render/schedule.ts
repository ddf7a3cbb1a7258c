import { MAX_SAME_FAILURES } from "../../delivery/outbox.js";
import type { DigestOutcome } from "../../digest/digest-service.js";
import { formatClock } from "../../digest/schedule.js";
import type { ChannelSchedule } from "../../digest/types.js";
import { type MessageKey, t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { escapeSlackText, slackDate } from "./escape.js";
import { type Reply, textReply } from "./reply.js";

/** Slack's permanent error codes, in words (with what to do about them). */
export function describeSlackError(locale: Locale, code: string): string {
  const known = ["not_in_channel", "channel_not_found", "is_archived"];
  return known.includes(code)
    ? t(locale, `slack-error.${code}` as MessageKey)
    : t(locale, "slack-error.other", { error: escapeSlackText(code) });
}

/** "The last digest could not be posted" (or was set aside), with why and what to do. */
export function describeDigestError(
  locale: Locale,
  code: string,
  kind: "permanent" | "parked" = "permanent",
): string {
  return kind === "parked"
    ? t(locale, "schedule.last-parked", { error: escapeSlackText(code) })
    : t(locale, "schedule.last-error", { reason: describeSlackError(locale, code) });
}

/** When a delayed digest goes on: "in about 20 seconds", or a time, or "at the next check". */
function describeWhen(locale: Locale, retryAt: string | null, now: Date): string {
  if (retryAt === null) return t(locale, "digest-now.when-later", { time: "-" });
  const seconds = Math.max(1, Math.ceil((Date.parse(retryAt) - now.getTime()) / 1000));
  return seconds <= 120
    ? t(locale, "digest-now.when-soon", { seconds })
    : t(locale, "digest-now.when-later", { time: slackDate(retryAt) });
}

/** The words for a schedule: its time, days, zone and next digest. */
export function scheduleParams(locale: Locale, schedule: ChannelSchedule) {
  return {
    time: formatClock(schedule.hour, schedule.minute),
    days: t(locale, schedule.days === "daily" ? "schedule.days.daily" : "schedule.days.weekdays"),
    zone: schedule.timeZone,
    next: schedule.nextDigestAt ? slackDate(schedule.nextDigestAt) : "-",
  };
}

/** The reply to `digest`: schedule, next and last digest, and a permanent error if any. */
export function renderScheduleReply(locale: Locale, schedule: ChannelSchedule | null): Reply {
  if (!schedule) return textReply(t(locale, "schedule.none"));
  const lines = [
    t(
      locale,
      schedule.enabled ? "schedule.show" : "schedule.off",
      scheduleParams(locale, schedule),
    ),
    schedule.lastDigestAt
      ? t(locale, "schedule.last", { time: slackDate(schedule.lastDigestAt) })
      : t(locale, "schedule.never"),
  ];
  if (schedule.lastErrorCode) {
    lines.push(describeDigestError(locale, schedule.lastErrorCode, schedule.lastErrorKind));
  }
  return textReply(lines.join("\n"));
}

/** The reply to `digest at …`. */
export function renderScheduleSetReply(locale: Locale, schedule: ChannelSchedule): Reply {
  return textReply(t(locale, "schedule.set", scheduleParams(locale, schedule)));
}

/** The reply to `digest off`. */
export function renderScheduleOffReply(locale: Locale): Reply {
  return textReply(t(locale, "schedule.turned-off"));
}

/** The reply to `digest now`, to the user who asked (the digest itself is in the channel). */
export function renderDigestNowReply(
  locale: Locale,
  outcome: DigestOutcome | { status: "no-subscriptions" },
  now: Date = new Date(),
): Reply {
  switch (outcome.status) {
    case "posted":
      return textReply(
        outcome.overflowCount > 0
          ? t(locale, "digest-now.posted-overflow", {
              count: outcome.articleCount,
              overflow: outcome.overflowCount,
            })
          : outcome.articleCount === 1
            ? t(locale, "digest-now.posted-one")
            : t(locale, "digest-now.posted", { count: outcome.articleCount }),
      );
    case "nothing-new":
      return textReply(
        outcome.lastDigestAt
          ? t(locale, "digest-now.nothing-new", { time: slackDate(outcome.lastDigestAt) })
          : t(locale, "digest-now.nothing-yet"),
      );
    case "no-subscriptions":
      return textReply(t(locale, "digest-now.no-subscriptions"));
    case "failed":
      return textReply(
        t(locale, "digest-now.failed", { reason: describeSlackError(locale, outcome.errorCode) }),
      );
    case "parked":
      return textReply(
        t(locale, "digest-now.parked", {
          attempts: outcome.attempts,
          error: escapeSlackText(outcome.errorCode),
        }),
      );
    case "busy":
      return textReply(t(locale, "digest-now.busy"));
    case "delayed": {
      const params = {
        part: outcome.part,
        parts: outcome.parts,
        posted: outcome.part - 1,
        error: escapeSlackText(outcome.errorCode ?? "-"),
        when: describeWhen(locale, outcome.retryAt, now),
        max: MAX_SAME_FAILURES,
      };
      switch (outcome.reason) {
        case "rate-limited":
          return textReply(t(locale, "digest-now.rate-limited", params));
        case "retrying":
          return textReply(t(locale, "digest-now.retrying", params));
        case "busy":
          return textReply(t(locale, "digest-now.busy"));
        case "unconfirmed":
          return textReply(t(locale, "digest-now.unconfirmed", params));
      }
    }
  }
}
