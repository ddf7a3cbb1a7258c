import type { App, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { answerUser, type SlackContext } from "../context.js";
import { MESSAGE_SHORTCUTS } from "../ids.js";
import { linksOfMessage } from "../message-links.js";
import { renderArticlePicker } from "../render/article-picker.js";
import {
  renderAssignModalForLink,
  renderLoadingModal,
  renderReplyModal,
} from "../render/assign-shortcut-modals.js";
import { errorReply } from "../render/error-reply.js";
import { renderAssignModal } from "../render/modals.js";
import { renderMessageSaved, renderNoLinks } from "../render/saved-links.js";

/*
 * The message shortcuts: Save for later (the message's links, as the save reaction does) and
 * Assign to a teammate (the assign modal for its first link). Slack sends the message in the
 * payload, so nothing is read back; replies go to the shortcut's response_url, which works in
 * any channel, opsfeed a member or not.
 */

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut>;

/** Save for later: the message's links (or, on a digest message, a question: which?). */
async function saveForLater(slack: SlackContext, { ack, shortcut, respond }: ShortcutArgs) {
  await ack();
  const channelId = shortcut.channel.id;
  const reply = await answerUser(
    slack,
    shortcut.user.id,
    { channel: channelId, shortcut: shortcut.callback_id },
    async ({ userId, locale, logger }) => {
      const target = await slack.services.links.shortcutTarget(
        channelId,
        shortcut.message_ts,
        linksOfMessage(shortcut.message),
      );
      logger.info("message shortcut", { target: target.kind });
      if (target.kind === "none") return renderNoLinks(locale, "save");
      if (target.kind === "choose")
        return renderArticlePicker(locale, target.articles, { kind: "save" });
      const saved = await slack.services.links.saveLinks(userId, channelId, target.links);
      return renderMessageSaved(locale, saved);
    },
  );
  await respond({ response_type: "ephemeral", replace_original: false, ...reply });
}

/**
 * Assign to a teammate: the assign modal for the message's first link. A link opsfeed has
 * not seen gets a modal at once (the trigger expires in three seconds) that the assign modal
 * replaces once the page is read.
 */
async function assignToTeammate(slack: SlackContext, { ack, shortcut, respond }: ShortcutArgs) {
  await ack();
  const channelId = shortcut.channel.id;
  const userId = shortcut.user.id;
  const logger = slack.logger.child({
    user: userId,
    channel: channelId,
    shortcut: shortcut.callback_id,
  });
  const locale = await slack.directory.localeOf(userId);
  const { links } = slack.services;
  try {
    const first = await links.firstArticle(
      channelId,
      shortcut.message_ts,
      linksOfMessage(shortcut.message),
    );
    logger.info("message shortcut", { target: first.kind });
    if (first.kind === "none") {
      await respond({ response_type: "ephemeral", ...renderNoLinks(locale, "assign") });
      return;
    }
    if (first.kind === "known") {
      // The user has the link in front of them: the modal names the article by it too.
      const view = renderAssignModal(locale, first.article, {
        articleId: first.article.id,
        channelId,
        url: first.article.url,
      });
      await slack.client.views.open({ trigger_id: shortcut.trigger_id, view });
      return;
    }
    const opened = await slack.client.views.open({
      trigger_id: shortcut.trigger_id,
      view: renderLoadingModal(locale, first.url),
    });
    const viewId = opened.view?.id;
    if (!viewId) throw new Error("views.open answered without a view id");
    try {
      const resolved = await links.articleFor(userId, { kind: "url", url: first.url });
      const modalContext = { articleId: resolved.article.id, channelId, url: resolved.article.url };
      await slack.client.views.update({
        view_id: viewId,
        view: renderAssignModalForLink(locale, resolved, modalContext),
      });
    } catch (error) {
      // The modal is open: what went wrong is shown in it rather than left "loading".
      await slack.client.views.update({
        view_id: viewId,
        view: renderReplyModal(locale, errorReply(locale, error, logger)),
      });
    }
  } catch (error) {
    await respond({ response_type: "ephemeral", ...errorReply(locale, error, logger) });
  }
}

/** Registers the message shortcuts. */
export function registerMessageShortcuts(app: App, slack: SlackContext): void {
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: MESSAGE_SHORTCUTS.saveForLater },
    (args) => saveForLater(slack, args),
  );
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: MESSAGE_SHORTCUTS.assignToTeammate },
    (args) => assignToTeammate(slack, args),
  );
}
