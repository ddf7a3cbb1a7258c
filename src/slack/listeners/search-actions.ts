import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { MAX_SEARCH_OFFSET } from "../../search/types.js";
import { answerUser, type SlackContext } from "../context.js";
import { SEARCH_ACTIONS, type SearchPageValue } from "../ids.js";
import { shownValue } from "../payload-values.js";
import { renderSearchResults } from "../render/search-results.js";

/**
 * A Next button's value as opsfeed writes it: JSON with the query (at most 2,000 characters,
 * Slack's limit on a value; the search itself refuses long queries in words) and an offset.
 * Anything else is forged or broken.
 */
const nextPageValue: z.ZodType<SearchPageValue, string> = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .object({
        q: z.string().min(1).max(1000),
        o: z.number().int().min(0).max(MAX_SEARCH_OFFSET),
      })
      .strict(),
  );

/**
 * Registers the search results' Next button: ack at once, read the value, search again in
 * the channel the results are in (access checked again), and replace the results shown.
 */
export function registerSearchActions(app: App, slack: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    SEARCH_ACTIONS.nextPage,
    async ({ ack, body, action, respond }) => {
      await ack();
      const value = action.value ?? "";
      let found = false;
      const reply = await answerUser(
        slack,
        body.user.id,
        { action: SEARCH_ACTIONS.nextPage },
        async (request) => {
          const parsed = nextPageValue.safeParse(value);
          const channelId = body.channel?.id;
          if (!parsed.success || !channelId) {
            request.logger.warn("button with a value opsfeed did not make", {
              value: value.slice(0, 100),
            });
            throw new AppError("payload.bad-value", { value: shownValue(value) });
          }
          const page = await slack.services.search.search(
            request.userId,
            channelId,
            parsed.data.q,
            parsed.data.o,
          );
          request.logger.info("search page", { offset: parsed.data.o });
          found = true;
          return renderSearchResults(request.locale, page);
        },
      );
      // The next page replaces the results the user is looking at; a refusal comes on its own.
      if (body.response_url) {
        await respond({ response_type: "ephemeral", replace_original: found, ...reply });
      }
    },
  );
}
