import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ResolvedArticle } from "../../queue/page-articles.js";
import type { ModalContext } from "../ids.js";
import { context, plain, section } from "./blocks.js";
import { linkableUrl, shortenPlain } from "./escape.js";
import { renderAssignModal } from "./modals.js";
import type { Reply } from "./reply.js";
import { pageNote } from "./saved-links.js";

/*
 * The modals of the Assign to a teammate shortcut. For a link opsfeed has not seen, a modal
 * opens at once while its page is read (Slack's trigger expires in three seconds, a page may
 * take ten) and is then replaced by the assign modal, or by what went wrong.
 */

/** Slack's limit on a modal's title and close label. */
const MAX_MODAL_TITLE = 24;

/** A modal without a submit button showing `text`. */
function infoModal(locale: Locale, blocks: types.KnownBlock[]): types.ModalView {
  return {
    type: "modal",
    title: plain(shortenPlain(t(locale, "queue.modal.assign.title"), MAX_MODAL_TITLE)),
    close: plain(shortenPlain(t(locale, "queue.modal.close"), MAX_MODAL_TITLE)),
    blocks,
  };
}

/** "Reading the page at …": shown while the link's page is fetched. */
export function renderLoadingModal(locale: Locale, url: string): types.ModalView {
  const link = linkableUrl(url);
  return infoModal(locale, [
    section("loading", t(locale, "links.loading", { url: link === null ? "…" : `<${link}>` })),
  ]);
}

/** The loading modal replaced by a reply (what went wrong), when there is no article to assign. */
export function renderReplyModal(locale: Locale, reply: Reply): types.ModalView {
  return infoModal(locale, reply.blocks ?? [section("reply", reply.text)]);
}

/** The assign modal for a message's link, saying why the article has no title when it has none. */
export function renderAssignModalForLink(
  locale: Locale,
  resolved: ResolvedArticle,
  modalContext: ModalContext,
): types.ModalView {
  const modal = renderAssignModal(locale, resolved.article, modalContext);
  const note = pageNote(locale, resolved.page);
  if (note === null) return modal;
  const [first, ...rest] = modal.blocks;
  return { ...modal, blocks: [...(first ? [first] : []), context("page-note", note), ...rest] };
}
