import { describeFilters } from "../../feeds/filters.js";
import { renderPreview } from "../render/preview.js";
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
