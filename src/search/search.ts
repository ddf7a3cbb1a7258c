import type { Access } from "../access/access.js";
import { AppError } from "../errors.js";
import { articleSummaries } from "../store/articles.js";
import type { Db } from "../store/database.js";
import {
  indexSearchBacklog,
  matchingCommentScopes,
  SEARCH_BACKLOG_BATCH,
  searchArticleIds,
  searchBacklogSize,
} from "../store/search.js";
import {
  ARTICLE_SCOPE,
  MAX_QUERY_LENGTH,
  MAX_QUERY_WORDS,
  MAX_SEARCH_OFFSET,
  normalizeSearchText,
  SEARCH_PAGE_SIZE,
  type SearchPage,
  searchWords,
} from "./types.js";

/*
 * `/opsfeed search <words>`: the articles one channel may see (those its subscriptions' feeds
 * carry and those that reached it: digests, realtime posts, saves and comments there) whose
 * title, summary or comments hold every word, case and width ignored. A comment counts only
 * for those who may read the channel it was made in (the access model).
 */

/** Most other channels whose comments are checked with the access model for one search. */
const MAX_COMMENT_CHANNELS = 50;

/** What searching needs. */
export interface SearchDeps {
  db: Db;
  access: Access;
}

/** The search use case. */
export interface SearchService {
  /**
   * A page of the articles `channelId` may see matching every word of `query`, for `userId`,
   * who must be allowed in the channel. Refuses, in words, queries that are empty, too long or
   * of too many words, and offsets opsfeed never offers.
   */
  search(userId: string, channelId: string, query: string, offset: number): Promise<SearchPage>;
  /**
   * Indexes what was stored since the last run (SQLite's FTS5 indexes are written here, not by
   * the poll that stored the articles), batch by batch, letting other work run between
   * batches. Searches find the backlog meanwhile too, only slower. Returns how many documents.
   */
  indexBacklog(): Promise<number>;
  /** How many documents wait for the indexer (always 0 on Postgres). */
  backlogSize(): Promise<number>;
}

/** Checks a query and returns its words; throws AppError saying what is wrong. */
export function checkSearchQuery(query: string): string[] {
  const words = searchWords(query);
  if (words.length === 0) throw new AppError("search.empty-query", {});
  const length = [...normalizeSearchText(query).trim()].length;
  if (length > MAX_QUERY_LENGTH) {
    throw new AppError("search.query-too-long", { length, max: MAX_QUERY_LENGTH });
  }
  if (words.length > MAX_QUERY_WORDS) {
    throw new AppError("search.too-many-words", { count: words.length, max: MAX_QUERY_WORDS });
  }
  return words;
}

/** Creates the search use case. */
export function createSearchService(deps: SearchDeps): SearchService {
  const { db, access } = deps;
  return {
    async indexBacklog() {
      let indexed = 0;
      for (;;) {
        const batch = await indexSearchBacklog(db, SEARCH_BACKLOG_BATCH);
        indexed += batch;
        if (batch < SEARCH_BACKLOG_BATCH) return indexed;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    backlogSize: () => searchBacklogSize(db),
    async search(userId, channelId, query, offset) {
      const words = checkSearchQuery(query);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_SEARCH_OFFSET) {
        throw new AppError("search.bad-offset", { max: MAX_SEARCH_OFFSET });
      }
      await access.requireChannel(userId, channelId);
      // Comments made elsewhere count only where the user may read them.
      const others = await matchingCommentScopes(db, { channelId, words }, MAX_COMMENT_CHANNELS);
      const readable: string[] = [];
      for (const scope of others) {
        if (await access.mayRead(userId, scope)) readable.push(scope);
      }
      const ids = await searchArticleIds(db, {
        channelId,
        words,
        scopes: [ARTICLE_SCOPE, channelId, ...readable],
        limit: SEARCH_PAGE_SIZE + 1,
        offset,
      });
      const shown = ids.slice(0, SEARCH_PAGE_SIZE);
      const summaries = await articleSummaries(db, shown);
      const hits = shown.flatMap((id, index) => {
        const article = summaries.get(id);
        return article ? [{ position: offset + index + 1, article }] : [];
      });
      return { query: query.trim(), offset, hits, hasMore: ids.length > SEARCH_PAGE_SIZE };
    },
  };
}
