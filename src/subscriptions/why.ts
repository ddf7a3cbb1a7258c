import type { Access } from "../access/access.js";
import { getChannelSchedule } from "../digest/channel-schedule.js";
import { AppError } from "../errors.js";
import { displayUrl } from "../feeds/canonical-url.js";
import { droppingFilter, type FilterVerdict } from "../feeds/filters.js";
import type { SubscriptionFilters } from "../feeds/types.js";
import { resolveArticle } from "../queue/articles.js";
import type { ArticleRef, ArticleSummary } from "../queue/types.js";
import type { Db } from "../store/database.js";
import {
  articleFilterFields,
  articleReachedChannel,
  digestsShowing,
  subscriptionsCarrying,
} from "../store/explain.js";

/** Finds the link to a posted message (Slack's `chat.getPermalink`); null when Slack cannot say. */
export interface Permalinks {
  permalink(channelId: string, ts: string): Promise<string | null>;
}

/** A subscription of the channel that carries the article, and what its filters make of it. */
export interface CarrierExplained {
  subscriptionId: number;
  feedTitle: string;
  feedUrl: string;
  filters: SubscriptionFilters;
  /** the filter that drops the article for this subscription, null when it passes */
  verdict: FilterVerdict | null;
  /** the feed's last error while it is failing */
  feedError: {
    code: string;
    params: Record<string, string | number>;
    failingSince: string | null;
    failures: number;
  } | null;
}

/** What became of the article in the channel, the one outcome `why` leads with. */
export type WhyOutcome =
  /** a digest of the channel showed it (or is being posted with it) */
  | {
      kind: "digest";
      digestId: number;
      posted: boolean;
      at: string;
      permalink: string | null;
    }
  /** posted on its own by a realtime subscription (where realtime subscriptions record it) */
  | { kind: "realtime"; at: string }
  /** passes a subscription's filters and is new since the last digest: the next one takes it */
  | { kind: "waiting"; nextDigestAt: string | null; digestEnabled: boolean }
  /** passed the filters but was seen before the last digest, which did not show it */
  | { kind: "left-out"; lastDigestAt: string }
  /** every subscription that carries it drops it with its filters */
  | { kind: "filtered" }
  /** no subscription of the channel carries it; how it reached the channel otherwise, if it did */
  | { kind: "not-carried"; reachedVia: string | null; reachedAt: string | null };

/** `why`'s answer: the article, the channel's subscriptions carrying it, and the outcome. */
export interface WhyReport {
  article: ArticleSummary;
  carriers: CarrierExplained[];
  outcome: WhyOutcome;
}

/** What explaining needs: storage, the access model and Slack's permalinks. */
export interface WhyDeps {
  db: Db;
  access: Access;
  permalinks: Permalinks;
}

/**
 * Explains, for one channel, what became of an article. An article the user may not see
 * gets the same answer as one opsfeed never saw (by number and by URL alike), so `why`
 * cannot be used to learn what another channel reads.
 */
export function createWhyService(deps: WhyDeps) {
  const { db } = deps;
  return {
    async explain(userId: string, channelId: string, ref: ArticleRef): Promise<WhyReport> {
      const article = await resolveArticle(db, ref).catch((error: unknown) => {
        throw notSeen(ref, error);
      });
      if (!(await deps.access.canSeeArticle(userId, article.id))) throw notSeen(ref, null);
      const [fields, carrying, digests, reached, schedule] = await Promise.all([
        articleFilterFields(db, article.id),
        subscriptionsCarrying(db, channelId, article.id),
        digestsShowing(db, channelId, article.id),
        articleReachedChannel(db, channelId, article.id),
        getChannelSchedule(db, channelId),
      ]);
      const item = fields ?? { title: article.title, summary: null, bookmarkCount: null };
      const carriers: CarrierExplained[] = carrying.map((carrier) => ({
        subscriptionId: carrier.subscriptionId,
        feedTitle: carrier.feedTitle,
        feedUrl: displayUrl(carrier.feedUrl),
        filters: carrier.filters,
        verdict: droppingFilter(item, carrier.filters),
        feedError:
          carrier.lastErrorCode === null
            ? null
            : {
                code: carrier.lastErrorCode,
                params: carrier.lastErrorParams,
                failingSince: carrier.failingSince,
                failures: carrier.consecutiveFailures,
              },
      }));

      const outcome = await (async (): Promise<WhyOutcome> => {
        const shown = digests[0];
        if (shown) {
          return {
            kind: "digest",
            digestId: shown.digestId,
            posted: shown.status === "posted",
            at: shown.postedAt ?? shown.claimedAt,
            permalink: shown.ts ? await deps.permalinks.permalink(channelId, shown.ts) : null,
          };
        }
        // Realtime subscriptions record their posts as having reached the channel "realtime";
        // the post's own link belongs here once they keep its ts.
        const realtime = reached.find((row) => row.via === "realtime");
        if (realtime) return { kind: "realtime", at: realtime.at };
        const passing = carrying.filter((_, index) => carriers[index]?.verdict === null);
        if (passing.length > 0) {
          const since = schedule?.lastDigestAt ?? null;
          // As the digest picks its candidates: new to the feed, or to the subscription, since
          // the channel's last digest.
          const isNew =
            since === null ||
            passing.some(
              (carrier) => carrier.firstSeenAt >= since || carrier.subscribedAt >= since,
            );
          if (isNew || since === null) {
            return {
              kind: "waiting",
              nextDigestAt: schedule?.enabled ? schedule.nextDigestAt : null,
              digestEnabled: schedule?.enabled ?? false,
            };
          }
          return { kind: "left-out", lastDigestAt: since };
        }
        if (carriers.length > 0) return { kind: "filtered" };
        const other = reached[0];
        return {
          kind: "not-carried",
          reachedVia: other?.via ?? null,
          reachedAt: other?.at ?? null,
        };
      })();
      return { article, carriers, outcome };
    },
  };
}

/** The answer for an article the user cannot see or opsfeed never saw. */
function notSeen(ref: ArticleRef, error: unknown): unknown {
  if (error !== null && !(error instanceof AppError)) return error;
  return ref.kind === "number"
    ? new AppError("reading.article-not-found", { article: `#${ref.id}` })
    : new AppError("why.url-never-seen", { url: displayUrl(ref.url) });
}

/** The `why` use case, as the composition root builds it. */
export type WhyService = ReturnType<typeof createWhyService>;
