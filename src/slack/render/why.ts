import { describeFilters } from "../../feeds/filters.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { CarrierExplained, WhyOutcome, WhyReport } from "../../subscriptions/why.js";
import { articleLink, articleSource } from "./article.js";
import { section } from "./blocks.js";
import { describeCodedError } from "./error-reply.js";
import { escapeSlackText, linkableUrl, slackDate } from "./escape.js";
import { fallbackText, MAX_BLOCKS, type Reply } from "./reply.js";

/** A word from a filter inside a code span: escaped, no backtick to end the span. */
function codeWord(word: string): string {
  return escapeSlackText(word.replace(/`/g, "'"));
}

function verdictText(locale: Locale, carrier: CarrierExplained): string {
  const { verdict } = carrier;
  if (verdict === null) {
    const filters = describeFilters(carrier.filters);
    return filters
      ? t(locale, "why.verdict.passes", { filters: codeWord(filters) })
      : t(locale, "why.verdict.no-filters");
  }
  switch (verdict.filter) {
    case "include":
      return t(locale, "why.verdict.include", {
        words: verdict.words.map((word) => `\`${codeWord(word)}\``).join(", "),
      });
    case "exclude":
      return t(locale, "why.verdict.exclude", { word: codeWord(verdict.word) });
    case "min":
      return t(locale, "why.verdict.min", {
        min: verdict.minBookmarks,
        count: verdict.bookmarkCount,
      });
  }
}

function outcomeText(locale: Locale, outcome: WhyOutcome, maxArticles: number): string {
  switch (outcome.kind) {
    case "digest": {
      const date = slackDate(outcome.at);
      if (!outcome.posted) return t(locale, "why.digest-posting", { date });
      const permalink = outcome.permalink ? linkableUrl(outcome.permalink) : null;
      return permalink
        ? t(locale, "why.digest-posted-link", { date, permalink })
        : t(locale, "why.digest-posted", { date });
    }
    case "realtime":
      return t(locale, "why.realtime", { date: slackDate(outcome.at) });
    case "waiting":
      return outcome.digestEnabled && outcome.nextDigestAt
        ? t(locale, "why.waiting", { date: slackDate(outcome.nextDigestAt) })
        : t(locale, "why.waiting-digest-off");
    case "left-out":
      return t(locale, "why.left-out", { date: slackDate(outcome.lastDigestAt), max: maxArticles });
    case "filtered":
      return t(locale, "why.filtered");
    case "not-carried": {
      const lines = [t(locale, "why.not-carried")];
      if (outcome.reachedVia && outcome.reachedAt) {
        const date = slackDate(outcome.reachedAt);
        const via = outcome.reachedVia;
        lines.push(
          via === "save" || via === "comment"
            ? t(locale, `why.reached.${via}`, { date })
            : t(locale, "why.reached.other", { via: escapeSlackText(via), date }),
        );
      }
      return lines.join(" ");
    }
  }
}

/**
 * The reply to `why`: the article, what became of it in this channel, each subscription that
 * carries it with what its filters make of it, and the failing feeds among them.
 */
export function renderWhy(locale: Locale, report: WhyReport, maxArticles: number): Reply {
  const lines: string[] = [
    t(locale, "why.heading", { article: articleLink(report.article) }),
    outcomeText(locale, report.outcome, maxArticles),
  ];
  for (const carrier of report.carriers) {
    const url = linkableUrl(carrier.feedUrl) ?? "";
    const title = articleSource(carrier.feedTitle) || escapeSlackText(carrier.feedUrl);
    lines.push(
      t(locale, "why.carrier", {
        id: carrier.subscriptionId,
        url,
        title,
        verdict: verdictText(locale, carrier),
      }),
    );
  }
  for (const carrier of report.carriers) {
    if (!carrier.feedError) continue;
    const error = carrier.feedError;
    lines.push(
      t(locale, "why.feed-failing", {
        url: linkableUrl(carrier.feedUrl) ?? "",
        title: articleSource(carrier.feedTitle) || escapeSlackText(carrier.feedUrl),
        since: error.failingSince ? slackDate(error.failingSince) : "?",
        failures: error.failures,
        error: describeCodedError(locale, error.code, error.params),
      }),
    );
  }
  const blocks = lines.slice(0, MAX_BLOCKS).map((line, index) => section(`why-${index}`, line));
  return { text: fallbackText(lines.join("\n")), blocks };
}
