/** The languages opsfeed speaks. */
export const LOCALES = ["en", "ja"] as const;

/** One of the languages opsfeed speaks. */
export type Locale = (typeof LOCALES)[number];

/** Maps a Slack locale such as `ja-JP` or `en-US` to one opsfeed speaks, or null. */
export function localeFromSlack(slackLocale: string | null | undefined): Locale | null {
  if (!slackLocale) return null;
  const language = slackLocale.toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(language ?? "") ? (language as Locale) : null;
}
