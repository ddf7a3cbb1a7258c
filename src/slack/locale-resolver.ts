import type { WebClient } from "@slack/web-api";
import { type Locale, localeFromSlack } from "../i18n/locale.js";
import type { Logger } from "../logger.js";

/** Finds the language to answer a user in. */
export type LocaleResolver = (userId: string) => Promise<Locale>;

const ONE_HOUR_MS = 60 * 60 * 1000;

/**
 * Resolves a user's language from their Slack locale (`users.info` with `include_locale`),
 * cached for an hour, falling back to `fallback` (OPSFEED_LOCALE) when Slack does not say
 * or cannot be asked. A failed look-up is cached too, so a Slack outage costs one call.
 */
export function createLocaleResolver(
  client: WebClient,
  fallback: Locale,
  logger: Logger,
  clock: () => Date = () => new Date(),
  ttlMs = ONE_HOUR_MS,
): LocaleResolver {
  const cache = new Map<string, { locale: Locale; expiresAt: number }>();
  return async (userId) => {
    const now = clock().getTime();
    const cached = cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.locale;
    let locale = fallback;
    try {
      const answer = await client.users.info({ user: userId, include_locale: true });
      locale = localeFromSlack(answer.user?.locale) ?? fallback;
    } catch (error) {
      logger.warn("could not read the user's Slack locale; using the default", {
        user: userId,
        error: (error as Error).message,
      });
    }
    cache.set(userId, { locale, expiresAt: now + ttlMs });
    return locale;
  };
}
