import { renderSearchResults } from "../render/search-results.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed search <words>`: the first page of what this channel has seen. */
export const search: CommandHandler<"search"> = async (context, command) =>
  renderSearchResults(
    context.locale,
    await context.services.search.search(context.userId, context.channelId, command.query, 0),
  );
