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
 * Reads users from Slack (`users.info`). A user's language comes from their Slack locale,
 * cached for an hour, falling back to `fallback` (OPSFEED_LOCALE) when Slack does not say or
 * does not answer within LOCALE_DEADLINE_MS; a failed look-up is cached too, so a Slack
 * outage costs one call, and a reply never waits long for it.
 */
export function createUserDirectory(
  client: WebClient,
  fallback: Locale,
  logger: Logger,
  clock: () => Date = () => new Date(),
  ttlMs = ONE_HOUR_MS,
): SlackUserDirectory {
  const locales = new Map<string, { locale: Locale; expiresAt: number }>();
  return {
    async localeOf(userId) {
      const now = clock().getTime();
      const cached = locales.get(userId);
      if (cached && cached.expiresAt > now) return cached.locale;
      let locale = fallback;
      try {
        const answer = await within(
          LOCALE_DEADLINE_MS,
          client.users.info({ user: userId, include_locale: true }),
        );
        locale = localeFromSlack(answer.user?.locale) ?? fallback;
      } catch (error) {
        logger.warn("could not read the user's Slack locale; using the default", {
          user: userId,
          error: (error as Error).message,
        });
      }
      locales.set(userId, { locale, expiresAt: now + ttlMs });
      return locale;
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
