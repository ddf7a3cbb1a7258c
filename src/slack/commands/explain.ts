import { describeFilters } from "../../feeds/filters.js";
import { renderHatenaComments } from "../render/hatena-comments.js";
import { renderPreview } from "../render/preview.js";
import { renderWhy } from "../render/why.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed preview <feed-url> [include:…] [exclude:…] [min:N]`: fetches, filters, stores nothing. */
export const preview: CommandHandler<"preview"> = async ({ services, locale }, command) => {
  const filters = {
    include: command.include,
    exclude: command.exclude,
    minBookmarks: command.minBookmarks,
  };
  const result = await services.feeds.preview(command.feedUrl, filters);
  return renderPreview(locale, result, command.feedUrl, describeFilters(filters));
};

/** `/opsfeed why <article>`: what became of the article in this channel. */
export const why: CommandHandler<"why"> = async (context, command) => {
  const { services, userId, channelId, locale } = context;
  const report = await services.why.explain(userId, channelId, command.article);
  return renderWhy(locale, report, services.settings.digestMaxArticles);
};

/** `/opsfeed hatena <article>`: the article's public Hatena Bookmark comments, newest first. */
export const hatena: CommandHandler<"hatena"> = async ({ services, userId, locale }, command) => {
  const article = await services.reading.article(userId, command.article);
  return renderHatenaComments(locale, article, await services.hatena.comments(article.url));
};
