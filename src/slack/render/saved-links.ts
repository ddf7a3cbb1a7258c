import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { FetchedPage } from "../../pages/types.js";
import type { ResolvedArticle } from "../../queue/page-articles.js";
import {
  type LinkSave,
  MAX_LINKS_PER_MESSAGE,
  type MessageSave,
  type ReactionOutcome,
} from "../../queue/saved-links.js";
import { articleLink } from "./article.js";
import { escapeSlackText } from "./escape.js";
import { renderDone, renderSaved } from "./queue-replies.js";
import { type Reply, textReply } from "./reply.js";

/*
 * The replies about saving from anywhere, seen only by the user who asked: what saving a URL
 * or a message's links did (and why a page has no title), what a reaction's removal took out,
 * what a done reaction marked read.
 */

/** Why a page could not be read, in words; parameters from outside are escaped. */
function unreadableReason(
  locale: Locale,
  page: Extract<FetchedPage, { status: "unreadable" }>,
): string {
  const safe = Object.fromEntries(
    Object.entries(page.params).map(([key, value]) => [
      key,
      typeof value === "string" ? escapeSlackText(value) : value,
    ]),
  );
  switch (page.code) {
    case "fetch.blocked-address":
      return t(locale, "links.reason.blocked-address", safe);
    case "fetch.http-status":
      return t(locale, "links.reason.http-status", safe);
    case "fetch.timeout":
      return t(locale, "links.reason.timeout", safe);
    case "page.not-html":
      return t(locale, "links.reason.not-html", safe);
    case "fetch.dns-failure":
      return t(locale, "links.reason.dns-failure", safe);
    case "fetch.too-many-redirects":
      return t(locale, "links.reason.too-many-redirects", safe);
    default: {
      const detail = typeof safe.reason === "string" ? `${page.code} (${safe.reason})` : page.code;
      return t(locale, "links.reason.other", { code: escapeSlackText(detail) });
    }
  }
}

/** Why a new article has no title, or null when its page gave one (or opsfeed knew it). */
export function pageNote(locale: Locale, page: FetchedPage | null): string | null {
  if (page === null) return null;
  if (page.status === "unreadable") {
    return t(locale, "links.no-title.unreadable", { reason: unreadableReason(locale, page) });
  }
  return page.metadata.title === null ? t(locale, "links.no-title.read") : null;
}

/** A reply with the note on why the article's page gave no title, when there is one. */
export function withPageNote(locale: Locale, reply: Reply, page: FetchedPage | null): Reply {
  const note = pageNote(locale, page);
  // A text reply's fallback is its whole text, so the note can simply follow it.
  return note === null ? reply : textReply(`${reply.text}\n${note}`);
}

/** The reply to `later <url>`: saved (or already there), and why the page has no title. */
export function renderLinkSaved(locale: Locale, resolved: ResolvedArticle, added: boolean): Reply {
  return withPageNote(locale, renderSaved(locale, resolved.article, added), resolved.page);
}

/** One saved link in a list: the article, "already in your queue", and a note on its title. */
function savedLine(locale: Locale, save: LinkSave): string {
  const already = save.added ? "" : ` ${t(locale, "links.saved.already")}`;
  const note = pageNote(locale, save.page);
  return `• ${articleLink(save.article)}${already}${note === null ? "" : `\n   ${note}`}`;
}

/** The reply to saving a message's links (a reaction or the Save for later shortcut). */
export function renderMessageSaved(locale: Locale, saved: MessageSave): Reply {
  const lines: string[] = [];
  const [only] = saved.saves;
  if (saved.saves.length === 1 && only) {
    lines.push(renderLinkSaved(locale, only, only.added).text);
  } else {
    const added = saved.saves.filter((save) => save.added).length;
    lines.push(
      added === 0
        ? t(locale, "links.saved.nothing-new")
        : t(locale, "links.saved.heading", { count: added }),
    );
    for (const save of saved.saves) lines.push(savedLine(locale, save));
  }
  if (saved.skipped > 0) {
    lines.push(
      t(locale, "links.saved.skipped", { max: MAX_LINKS_PER_MESSAGE, count: saved.skipped }),
    );
  }
  return textReply(lines.join("\n"));
}

/** The reply to a message shortcut used on a message without a link. */
export function renderNoLinks(locale: Locale, shortcut: "save" | "assign"): Reply {
  return textReply(
    t(locale, shortcut === "save" ? "links.no-links.save" : "links.no-links.assign"),
  );
}

/** The reply to a reaction, or null when it did nothing worth telling (or asks a question elsewhere). */
export function renderReactionReply(
  locale: Locale,
  outcome: Exclude<ReactionOutcome, { kind: "ignored" } | { kind: "choose" }>,
): Reply {
  switch (outcome.kind) {
    case "saved":
      return renderMessageSaved(locale, outcome);
    case "unsaved":
      return textReply(
        t(locale, "links.unsaved", {
          articles: outcome.articles.map((article) => articleLink(article)).join(", "),
        }),
      );
    case "done":
      return textReply(
        outcome.done
          .map((done) => renderDone(locale, done.article, done.completedAssignment).text)
          .join("\n"),
      );
  }
}
