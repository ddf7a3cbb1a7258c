import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { ReactionEvent, ReactionOutcome } from "../../queue/saved-links.js";
import { answerUser, type SlackContext } from "../context.js";
import { SAVED_LINK_ACTIONS } from "../ids.js";
import { shownValue } from "../payload-values.js";
import { renderArticlePicker } from "../render/article-picker.js";
import { errorReply } from "../render/error-reply.js";
import { renderSaved } from "../render/queue-replies.js";
import type { Reply } from "../render/reply.js";
import { renderReactionReply } from "../render/saved-links.js";

/*
 * Reactions: the save emoji on a message saves its links to the reacting user's queue (its
 * removal takes them out again), the done emoji marks them done. Slack's event is acked at
 * once (Bolt does it for events), the work is done after, and the reply is an ephemeral
 * message only the reacting user sees.
 */

/** A reaction on a message (reactions on files and file comments have another item type). */
const reactionEvent = z.object({
  user: z.string().min(1),
  reaction: z.string().min(1),
  item: z.object({ type: z.literal("message"), channel: z.string().min(1), ts: z.string().min(1) }),
  event_ts: z.string().min(1),
});

/** The envelope's id, the same for every delivery of one event. */
const envelope = z.object({ event_id: z.string().min(1) });

/** What the pick button of a digest message someone reacted to carries. */
const reactionPick = z.object({
  articleId: z.number().int().positive(),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
});

/** Posts a reply only `userId` sees, in the thread of the message when it is in one. */
async function replyPrivately(
  slack: SlackContext,
  where: { channelId: string; userId: string; threadTs: string | null },
  reply: Reply,
  logger: Logger,
): Promise<void> {
  try {
    await slack.client.chat.postEphemeral({
      channel: where.channelId,
      user: where.userId,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      ...reply,
    });
  } catch (error) {
    logger.warn("could not reply to a reaction", { error });
  }
}

/** The reply to what a reaction did; none when it did nothing. */
function replyTo(
  outcome: Exclude<ReactionOutcome, { kind: "ignored" }>,
  event: ReactionEvent,
  locale: Parameters<typeof renderReactionReply>[0],
): Reply {
  if (outcome.kind !== "choose") return renderReactionReply(locale, outcome);
  return renderArticlePicker(
    locale,
    outcome.articles,
    outcome.action === "done"
      ? { kind: "done" }
      : { kind: "save-for-reaction", channelId: event.channelId, messageTs: event.messageTs },
  );
}

/** Carries out one delivery of a reaction event and tells the user what it did. */
async function onReaction(
  slack: SlackContext,
  body: unknown,
  event: unknown,
  change: ReactionEvent["change"],
): Promise<void> {
  const parsed = reactionEvent.safeParse(event);
  const ids = envelope.safeParse(body);
  if (!parsed.success || !ids.success) return;
  const { user, reaction, item, event_ts } = parsed.data;
  const reacted: ReactionEvent = {
    eventId: ids.data.event_id,
    userId: user,
    channelId: item.channel,
    messageTs: item.ts,
    emoji: reaction,
    eventTs: event_ts,
    change,
  };
  const logger = slack.logger.child({ user, channel: item.channel, event: ids.data.event_id });
  let outcome: ReactionOutcome;
  try {
    outcome = await slack.services.links.reacted(reacted);
  } catch (error) {
    // Only a reaction that was opsfeed's to act on can fail, so the user hears why.
    const locale = await slack.directory.localeOf(user);
    const where = { channelId: item.channel, userId: user, threadTs: null };
    await replyPrivately(slack, where, errorReply(locale, error, logger), logger);
    logger.info("reaction handled", { change, outcome: "error" });
    return;
  }
  if (outcome.kind === "ignored") {
    // Most reactions are not opsfeed's business: those are only worth a debug line.
    const log = outcome.reason === "not-ours" ? logger.debug : logger.info;
    log.call(logger, "reaction handled", { change, outcome: outcome.kind, reason: outcome.reason });
    return;
  }
  const locale = await slack.directory.localeOf(user);
  const where = { channelId: item.channel, userId: user, threadTs: outcome.threadTs };
  await replyPrivately(slack, where, replyTo(outcome, reacted, locale), logger);
  logger.info("reaction handled", { change, outcome: outcome.kind });
}

/** Registers the reaction events and the pick button of the question they may ask. */
export function registerReactions(app: App, slack: SlackContext): void {
  app.event("reaction_added", async ({ body, event }) => {
    await onReaction(slack, body, event, "added");
  });
  app.event("reaction_removed", async ({ body, event }) => {
    await onReaction(slack, body, event, "removed");
  });

  app.action<BlockAction<ButtonAction>>(
    SAVED_LINK_ACTIONS.pickForReaction,
    async ({ ack, body, action, respond }) => {
      await ack();
      const reply = await answerUser(
        slack,
        body.user.id,
        { action: action.action_id },
        async (request) => {
          let pick: z.infer<typeof reactionPick>;
          try {
            pick = reactionPick.parse(JSON.parse(action.value ?? ""));
          } catch {
            request.logger.warn("button with a value opsfeed did not make", {
              value: (action.value ?? "").slice(0, 100),
            });
            throw new AppError("payload.bad-value", { value: shownValue(action.value ?? "") });
          }
          const save = await slack.services.links.pickForReaction(
            request.userId,
            { channelId: pick.channelId, messageTs: pick.messageTs },
            pick.articleId,
          );
          return renderSaved(request.locale, save.article, save.added);
        },
      );
      if (body.response_url) {
        await respond({ response_type: "ephemeral", replace_original: false, ...reply });
      }
    },
  );
}
