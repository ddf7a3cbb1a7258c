import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ArticleSummary } from "../../queue/types.js";
import { ARTICLE_ACTIONS, type ReactionPick, SAVED_LINK_ACTIONS } from "../ids.js";
import { articleLink, articleSource } from "./article.js";
import { button, mrkdwn, section, uniqueBy } from "./blocks.js";
import { MAX_BLOCKS, type Reply } from "./reply.js";

/*
 * The question a reaction or a shortcut on a digest message carrying several articles asks:
 * which one? One section per article with a button beside it.
 */

type KnownBlock = types.KnownBlock;

/** What the picker's buttons do: save (for a reaction, or plainly) or mark done. */
export type PickerAction =
  | { kind: "save-for-reaction"; channelId: string; messageTs: string }
  | { kind: "save" }
  | { kind: "done" };

/** The button beside an article, for the picker's action. */
function pickButton(locale: Locale, action: PickerAction, article: ArticleSummary): types.Button {
  switch (action.kind) {
    case "save-for-reaction": {
      const pick: ReactionPick = {
        articleId: article.id,
        channelId: action.channelId,
        messageTs: action.messageTs,
      };
      return button(
        SAVED_LINK_ACTIONS.pickForReaction,
        t(locale, "digest.button.read-later"),
        JSON.stringify(pick),
      );
    }
    case "save":
      return button(ARTICLE_ACTIONS.readLater, t(locale, "digest.button.read-later"), article.id);
    case "done":
      return button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id);
  }
}

/** Asks which of a digest message's articles to save or mark done, with a button per article. */
export function renderArticlePicker(
  locale: Locale,
  articles: ArticleSummary[],
  action: PickerAction,
): Reply {
  const question = t(locale, action.kind === "done" ? "links.choose.done" : "links.choose.save", {
    count: articles.length,
  });
  const shown = uniqueBy(articles, (article) => article.id).slice(0, MAX_BLOCKS - 1);
  const blocks: KnownBlock[] = [section("pick-question", question)];
  for (const article of shown) {
    const source = article.source ? `\n${articleSource(article.source)}` : "";
    blocks.push({
      type: "section",
      block_id: `pick-${article.id}`,
      text: mrkdwn(`${articleLink(article)}${source}`),
      accessory: pickButton(locale, action, article),
    });
  }
  return { text: question, blocks };
}
