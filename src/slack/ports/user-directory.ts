import type { WebClient } from "@slack/web-api";
import { type Locale, localeFromSlack } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import type { MemberInfo, UserDirectory } from "../../queue/reading.js";
import { slackErrorCode } from "../slack-errors.js";

/** Finds the language to answer a user in. */
export type LocaleResolver = (userId: string) => Promise<Locale>;

/** Workspace members as Slack describes them: their language, and whether they can be assigned. */
export interface SlackUserDirectory extends UserDirectory {
  localeOf: LocaleResolver;
  /**
   * The user's language if a finished look-up is cached and fresh, else undefined: lets a
   * quick reply go in the ack without waiting for Slack.
   */
  knownLocaleOf(userId: string): Locale | undefined;
}

/** What is used when Slack does not say: OPSFEED_LOCALE and OPSFEED_TIMEZONE. */
export interface DirectoryFallbacks {
  locale: Locale;
  timeZone: string;
}

/** An IANA zone the runtime knows, or null. */
function knownZone(zone: unknown): string | null {
  if (typeof zone !== "string" || zone === "") return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const ONE_HOUR_MS = 60 * 60 * 1000;

/** How long a reply waits for the user's language before using the default. */
export const LOCALE_DEADLINE_MS = 2500;

/** `work`, or a rejection once `ms` have passed (the call itself ends at its own deadline). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Reads users from Slack (`users.info`). A user's language comes from their Slack locale and
 * their time zone from their Slack `tz`, both read in one call and cached for an hour, falling
 * back to `fallback` (OPSFEED_LOCALE, OPSFEED_TIMEZONE) when Slack does not say or does not
 * answer within LOCALE_DEADLINE_MS; a failed look-up is cached too, so a Slack outage costs
 * one call, and a reply never waits long for it.
 */
export function createUserDirectory(
  client: WebClient,
  fallback: DirectoryFallbacks,
  logger: Logger,
  clock: () => Date = () => new Date(),
  ttlMs = ONE_HOUR_MS,
): SlackUserDirectory {
  type Profile = { locale: Locale; timeZone: string };
  // `settled` is filled once the look-up has answered, so it can be read without awaiting.
  type Entry = { profile: Promise<Profile>; expiresAt: number; settled?: Profile };
  const profiles = new Map<string, Entry>();
  const lookUp = async (userId: string): Promise<Profile> => {
    try {
      const answer = await within(
        LOCALE_DEADLINE_MS,
        client.users.info({ user: userId, include_locale: true }),
      );
      return {
        locale: localeFromSlack(answer.user?.locale) ?? fallback.locale,
        timeZone: knownZone(answer.user?.tz) ?? fallback.timeZone,
      };
    } catch (error) {
      logger.warn("could not read the user's Slack locale and time zone; using the defaults", {
        user: userId,
        error: (error as Error).message,
      });
      return { ...fallback };
    }
  };
  // Concurrent asks for one user share one call.
  const profileOf = (userId: string): Promise<Profile> => {
    const now = clock().getTime();
    const cached = profiles.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    const profile = lookUp(userId);
    const entry: Entry = { profile, expiresAt: now + ttlMs };
    profiles.set(userId, entry);
    void profile.then((settled) => {
      entry.settled = settled;
    });
    return profile;
  };
  return {
    knownLocaleOf(userId) {
      const cached = profiles.get(userId);
      if (!cached || cached.expiresAt <= clock().getTime()) return undefined;
      return cached.settled?.locale;
    },
    async localeOf(userId) {
      return (await profileOf(userId)).locale;
    },
    async timeZoneOf(userId) {
      return (await profileOf(userId)).timeZone;
    },
    async member(userId): Promise<MemberInfo | null> {
      try {
        const answer = await client.users.info({ user: userId });
        const user = answer.user;
        return user ? { isBot: user.is_bot === true, deleted: user.deleted === true } : null;
      } catch (error) {
        if (slackErrorCode(error) === "user_not_found") return null;
        throw error;
      }
    },
  };
}
