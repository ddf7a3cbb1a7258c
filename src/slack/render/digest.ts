import type { types } from "@slack/bolt";
import type { DigestDeps } from "../../digest/digest-service.js";
import type { ArticleActivity, DigestContent, DigestEntry } from "../../digest/types.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { DIGEST_METADATA_EVENT, type DigestMetadataPayload } from "../ids.js";
import { articleButtons, articleLink, articleSource, hatenaCommentsButton } from "./article.js";
import { context, header, uniqueBy } from "./blocks.js";
import {
  escapeSlackText,
  isSlackUserId,
  linkableUrl,
  shortenEscaped,
  slackDate,
} from "./escape.js";
import { MAX_BLOCKS, MAX_SECTION_TEXT } from "./reply.js";

type KnownBlock = types.KnownBlock;

/** One Slack message of a digest: what `chat.postMessage` needs, plus the articles it shows. */
export interface DigestMessage {
  text: string;
  blocks: KnownBlock[];
  metadata: { event_type: typeof DIGEST_METADATA_EVENT; event_payload: DigestMetadataPayload };
  articleIds: number[];
}

// Budgets for the parts of an article's section. Their sum, plus the date token and the
// separators, stays well under MAX_SECTION_TEXT, so the summary always gets what is left
// and a section can never pass Slack's limit however long a feed makes its fields.
/** The least room worth giving a summary; below that it is left out. */
const MIN_SUMMARY = 20;
/** Most assignees mentioned by name under an article; the rest are counted. */
const MAX_ASSIGNEES_SHOWN = 20;

/**
 * The most blocks an article takes: its text, the team-activity line it gains once someone
 * acts on it, and its buttons. Pages are packed by this, so a later update never overflows.
 */
const MAX_BLOCKS_PER_ARTICLE = 3;

/** Blocks that open the first message (header and count) and each later one (continued). */
const FIRST_OPENING_BLOCKS = 2;
const CONTINUED_OPENING_BLOCKS = 1;

/** The digest as one or more Slack messages, in order; each within Slack's limits. */
export function renderDigestMessages(
  locale: Locale,
  content: DigestContent,
  timeZone: string,
): DigestMessage[] {
  const date = formatDigestDate(locale, content.date);
  const articles = uniqueBy(content.entries, (entry) => entry.articleId).map((entry) => ({
    id: entry.articleId,
    blocks: renderArticleBlocks(locale, entry),
  }));
  const pages = packIntoPages(articles, content.overflowCount > 0);
  const parts = pages.length;
  const fallback = t(
    locale,
    articles.length === 1 ? "digest.fallback.one" : "digest.fallback.other",
    {
      date,
      count: articles.length,
    },
  );

  return pages.map((page, index) => {
    const part = index + 1;
    const blocks: KnownBlock[] =
      part === 1
        ? [
            header("digest-header", t(locale, "digest.header", { date })),
            context(
              "digest-count",
              t(locale, countKey(articles.length), {
                count: articles.length,
                zone: escapeSlackText(timeZone),
              }),
            ),
          ]
        : [context("digest-continued", t(locale, "digest.continued", { date, part, parts }))];
    for (const article of page) blocks.push(...article.blocks);
    if (part === parts && content.overflowCount > 0) {
      const key = content.overflowCount === 1 ? "digest.overflow.one" : "digest.overflow.other";
      blocks.push(context("digest-overflow", t(locale, key, { count: content.overflowCount })));
    }
    return {
      text: parts > 1 ? fallback + t(locale, "digest.fallback.part", { part, parts }) : fallback,
      blocks,
      metadata: {
        event_type: DIGEST_METADATA_EVENT,
        event_payload: { digest_id: content.digestId, part, parts },
      },
      articleIds: page.map((article) => article.id),
    };
  });
}

/** The blocks of one article (used again when the article's line is updated with team activity). */
export function renderArticleBlocks(locale: Locale, entry: DigestEntry): KnownBlock[] {
  const id = entry.articleId;
  const hatena = hatenaCommentsButton(locale, { id, ...entry });
  const blocks: KnownBlock[] = [
    {
      type: "section",
      block_id: `article-${id}-text`,
      text: { type: "mrkdwn", text: articleText(locale, entry) },
    },
  ];
  const activity = entry.activity && renderActivityBlock(locale, id, entry.activity);
  if (activity) blocks.push(activity);
  const buttons = articleButtons(locale, id);
  // Only articles with a Hatena Bookmark entry have comments there to read.
  if (hatena && buttons.type === "actions") buttons.elements.push(hatena);
  blocks.push(buttons);
  return blocks;
}

/**
 * An article's rendered text with its Hatena bookmark count replaced by `count` (a re-polled
 * feed's): the label on its details line (the second) changes, nothing else.
 */
export function withBookmarkCount(locale: Locale, text: string, count: number): string {
  const [before = "", after = ""] = t(locale, "digest.bookmarks", { count: "\u0000" }).split(
    "\u0000",
  );
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const label = new RegExp(`${literal(before)}\\d+${literal(after)}`, "u");
  const lines = text.split("\n");
  const details = lines[1];
  if (details === undefined) return text;
  lines[1] = details.replace(label, t(locale, "digest.bookmarks", { count }));
  return lines.join("\n");
}

/** The context block of an article's team activity, or null when there is none yet. */
export function renderActivityBlock(
  locale: Locale,
  articleId: number,
  activity: ArticleActivity,
): KnownBlock | null {
  const line = activityLine(locale, activity);
  return line ? context(`article-${articleId}-activity`, line) : null;
}

/** The mrkdwn of an article: number and linked title; source, bookmarks and date; summary. */
function articleText(locale: Locale, entry: DigestEntry): string {
  const heading = articleLink({ id: entry.articleId, title: entry.title, url: entry.url });
  const details = [articleSource(entry.source)];
  if (entry.bookmarkCount !== null) {
    const bookmarks = t(locale, "digest.bookmarks", { count: entry.bookmarkCount });
    const commentsUrl = entry.bookmarkCommentsUrl && linkableUrl(entry.bookmarkCommentsUrl);
    details.push(commentsUrl ? `<${commentsUrl}|${bookmarks}>` : bookmarks);
  }
  const published = entry.publishedAt === null ? Number.NaN : Date.parse(entry.publishedAt);
  // Re-serialize the date so the token's fallback text is ours, never the feed's string.
  if (Number.isFinite(published)) details.push(slackDate(new Date(published).toISOString()));

  const lines = [heading, details.join(" · ")];
  const room = MAX_SECTION_TEXT - lines.join("\n").length - 1;
  const summary = entry.summary?.trim();
  if (summary && room >= MIN_SUMMARY) lines.push(shortenEscaped(summary, room));
  return lines.join("\n");
}

/** The team's activity on an article as one context line, or null when there is none yet. */
function activityLine(locale: Locale, activity: ArticleActivity): string | null {
  const parts: string[] = [];
  if (activity.savedCount > 0)
    parts.push(t(locale, "digest.activity.saved", { count: activity.savedCount }));
  if (activity.commentCount > 0)
    parts.push(t(locale, "digest.activity.comments", { count: activity.commentCount }));
  const assignees = [...new Set(activity.assigneeIds)].filter(isSlackUserId);
  if (assignees.length > 0) {
    const mentions = assignees.slice(0, MAX_ASSIGNEES_SHOWN).map((id) => `<@${id}>`);
    if (assignees.length > MAX_ASSIGNEES_SHOWN) {
      const count = assignees.length - MAX_ASSIGNEES_SHOWN;
      mentions.push(t(locale, "digest.activity.more-assignees", { count }));
    }
    parts.push(t(locale, "digest.activity.assignees", { users: mentions.join(" ") }));
  }
  if (activity.doneCount > 0)
    parts.push(t(locale, "digest.activity.done", { count: activity.doneCount }));
  return parts.length > 0 ? parts.join(" · ") : null;
}

/**
 * Splits articles into pages of at most MAX_BLOCKS blocks, counting each page's opening and
 * the closing line on the last; an article's blocks always stay together.
 */
function packIntoPages<T extends { blocks: unknown[] }>(
  articles: T[],
  closingLine: boolean,
): T[][] {
  const pages: T[][] = [[]];
  let used = FIRST_OPENING_BLOCKS;
  articles.forEach((article, index) => {
    const closing = closingLine && index === articles.length - 1 ? 1 : 0;
    let page = pages[pages.length - 1] as T[];
    const size = Math.max(article.blocks.length, MAX_BLOCKS_PER_ARTICLE);
    if (page.length > 0 && used + size + closing > MAX_BLOCKS) {
      page = [];
      pages.push(page);
      used = CONTINUED_OPENING_BLOCKS;
    }
    page.push(article);
    used += size;
  });
  return pages;
}

/**
 * The digest's YYYY-MM-DD date for people: "Wed, Nov 25, 2026" or "2026年11月25日(水)". The
 * date is already the channel's local date, so it is formatted in UTC to keep it unchanged.
 */
function formatDigestDate(locale: Locale, date: string): string {
  const midnight = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(midnight.getTime())) {
    return escapeSlackText(date);
  }
  return digestDateFormat(locale).format(midnight);
}

// One formatter per locale: building an Intl.DateTimeFormat costs ~150 µs, a digest's whole
// render of its other parts about as much.
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function digestDateFormat(locale: Locale): Intl.DateTimeFormat {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    });
    dateFormats.set(locale, format);
  }
  return format;
}

function countKey(count: number) {
  if (count === 0) return "digest.count.none" as const;
  return count === 1 ? ("digest.count.one" as const) : ("digest.count.other" as const);
}

/** Renders digests as the payloads the digest poster sends, in `locale`. */
export function renderDigestPayloads(locale: Locale): DigestDeps["render"] {
  return (content, timeZone) =>
    renderDigestMessages(locale, content, timeZone).map((message) => ({
      payload: { text: message.text, blocks: message.blocks, metadata: message.metadata },
      articleIds: message.articleIds,
    }));
}
