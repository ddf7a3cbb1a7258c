import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type {
  RealtimeArticle,
  RealtimeChange,
  RealtimePayload,
  RealtimeRenderer,
} from "../../realtime/types.js";
import { articleButtons, articleLink, articleSource, articleTitle } from "./article.js";
import { shortenEscaped, shortenPlain, slackDate } from "./escape.js";
import { fallbackText, MAX_SECTION_TEXT } from "./reply.js";

type KnownBlock = types.KnownBlock;

/** The least room worth giving a summary; below that it is left out. */
const MIN_SUMMARY = 20;

/**
 * The state a status page leads an incident's text with ("Resolved - …", "Investigating: …"),
 * as the feed wrote it, or null. It heads the post so the channel sees the latest at a glance.
 */
export function incidentState(summary: string | null): string | null {
  const match =
    /^\s*(resolved|monitoring|identified|investigating|update|postmortem|completed|scheduled|in progress|verifying|復旧|解決済み|調査中|監視中|原因特定|対応中)\s*[-–—:：]/iu.exec(
      summary ?? "",
    );
  return match?.[1] ?? null;
}

/** The first line: the mention, the state, the number and the linked title. */
function headline(article: RealtimeArticle, mention: string | null): string {
  const state = incidentState(article.summary);
  return [
    mention,
    state ? `*${shortenEscaped(state, 40)}:*` : null,
    articleLink({ id: article.articleId, title: article.title, url: article.url }),
  ]
    .filter((part) => part !== null)
    .join(" ");
}

/** The headline, source and date, and as much of the summary as fits one section. */
function articleText(lines: string[], summary: string | null): string {
  const room = MAX_SECTION_TEXT - lines.join("\n").length - 1;
  const text = summary?.trim();
  if (text && room >= MIN_SUMMARY) lines.push(shortenEscaped(text, room));
  return lines.join("\n");
}

/** A plain-text fallback for notifications: mention, state and title. */
function fallback(article: RealtimeArticle, mention: string | null, locale: Locale): string {
  const state = incidentState(article.summary);
  const title = shortenEscaped(article.title.replace(/\s+/g, " ").trim(), 500);
  const text = t(locale, "realtime.fallback", {
    title: state ? `${shortenEscaped(state, 40)}: ${title}` : title,
    source: articleSource(article.source),
  });
  return fallbackText(mention ? `${mention} ${text}` : text);
}

/**
 * A realtime post: the subscription's mention and the incident's latest state on the first
 * line with the article's number and linked title, then its source and date, its text, and
 * the article buttons. Edited in place when the feed changes the article.
 */
export function renderRealtimePost(
  locale: Locale,
  article: RealtimeArticle,
  mention: string | null,
): RealtimePayload {
  const published = Date.parse(article.publishedAt);
  const details = [articleSource(article.source)];
  if (Number.isFinite(published)) details.push(slackDate(new Date(published).toISOString()));
  const blocks: KnownBlock[] = [
    {
      type: "section",
      block_id: `article-${article.articleId}-text`,
      text: {
        type: "mrkdwn",
        text: articleText([headline(article, mention), details.join(" · ")], article.summary),
      },
    },
    articleButtons(locale, article.articleId),
  ];
  return { text: fallback(article, mention, locale), blocks };
}

/** A reply in a realtime post's thread: the new title (and the old one), and the new text. */
export function renderRealtimeUpdate(locale: Locale, change: RealtimeChange): RealtimePayload {
  const { article } = change;
  const state = incidentState(article.summary);
  const title = articleLink({ id: article.articleId, title: article.title, url: article.url });
  const lines = [
    t(locale, "realtime.update", {
      title: state ? `*${shortenEscaped(state, 40)}:* ${title}` : title,
    }),
  ];
  if (change.previousTitle !== article.title) {
    lines.push(t(locale, "realtime.title-changed", { title: articleTitle(change.previousTitle) }));
  }
  const blocks: KnownBlock[] = [
    {
      type: "section",
      block_id: `article-${article.articleId}-update`,
      text: { type: "mrkdwn", text: articleText(lines, article.summary) },
    },
  ];
  const plainTitle = shortenPlain(article.title.replace(/\s+/g, " ").trim(), 500);
  const summary = article.summary ? ` ${shortenEscaped(article.summary, 1000)}` : "";
  return {
    text: fallbackText(
      `${t(locale, "realtime.update-fallback", { title: shortenEscaped(plainTitle, 500) })}${summary}`,
    ),
    blocks,
  };
}

/** The realtime renderer in one language (the workspace's default). */
export function realtimeRenderer(locale: Locale): RealtimeRenderer {
  return {
    post: (article, mention) => renderRealtimePost(locale, article, mention),
    update: (change) => renderRealtimeUpdate(locale, change),
  };
}
