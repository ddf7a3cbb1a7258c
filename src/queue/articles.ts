import { AppError } from "../errors.js";
import { canonicalizeUrl } from "../feeds/canonical-url.js";
import { articleSummaries, findArticleIdByCanonicalUrl } from "../store/articles.js";
import type { Db } from "../store/database.js";
import type { ArticleRef, ArticleSummary } from "./types.js";

/**
 * Finds the article a user means: its number, or any URL whose canonical form matches
 * (tracking parameters, fragment and case of the host do not matter).
 */
export async function resolveArticle(db: Db, ref: ArticleRef): Promise<ArticleSummary> {
  let id: number | null = null;
  if (ref.kind === "number") {
    id = ref.id;
  } else {
    const canonical = canonicalizeUrl(ref.url);
    id = canonical ? await findArticleIdByCanonicalUrl(db, canonical) : null;
  }
  const summary = id === null ? undefined : (await articleSummaries(db, [id])).get(id);
  if (!summary) {
    throw new AppError("reading.article-not-found", {
      article: ref.kind === "number" ? `#${ref.id}` : ref.url,
    });
  }
  return summary;
}
