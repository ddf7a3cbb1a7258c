import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { t } from "../../i18n/catalog.js";
import { answerUser, type SlackContext, type UserRequest } from "../context.js";
import { READER_ACTIONS, type ReaderState } from "../ids.js";
import { renderHatenaComments } from "../render/hatena-comments.js";
import { renderCommentModal } from "../render/modals.js";
import { renderReader, renderReaderHatena, renderReaderRefusal } from "../render/reader.js";
import { slackErrorCode } from "../slack-errors.js";

/*
 * The reader modal: Read (App Home, `later`) opens it with `views.open`; Previous, Next and
 * Done replace it in place with `views.update` (its id and hash), Comment pushes the comment
 * modal on top. Its state comes back from Slack in `private_metadata`: forged input, checked.
 */

const readerState = z.object({
  userId: z.string().regex(/^[UW][A-Z0-9]{1,20}$/),
  position: z.number().int().min(0).max(100_000),
  articleId: z.number().int().positive().nullable(),
});

/** The reader's state, if it is one opsfeed made for this user; null otherwise. */
function stateOf(metadata: string | undefined, userId: string): ReaderState | null {
  try {
    const parsed = readerState.safeParse(JSON.parse(metadata || "null"));
    return parsed.success && parsed.data.userId === userId ? parsed.data : null;
  } catch {
    return null;
  }
}

type ReaderBody = BlockAction<ButtonAction>;

/** Registers the reader's buttons. */
export function registerReader(app: App, slack: SlackContext): void {
  const { client } = slack;
  const { reading } = slack.services;

  // Read: opens the reader at the newest entry of the user's own queue.
  app.action<ReaderBody>(READER_ACTIONS.open, async ({ ack, body, respond }) => {
    await ack();
    const reply = await answerUser(
      slack,
      body.user.id,
      { action: READER_ACTIONS.open },
      async (r) => {
        const page = await reading.readerPage(r.userId, 0);
        await client.views.open({
          trigger_id: body.trigger_id,
          view: renderReader(r.locale, page, r.userId),
        });
        return null;
      },
    );
    if (reply && body.response_url) await respond({ response_type: "ephemeral", ...reply });
  });

  /** Replaces the reader the button sits in with what `next` makes of its state. */
  const inPlace =
    (actionId: string, next: (request: UserRequest, state: ReaderState) => Promise<number>) =>
    async ({ ack, body }: { ack: () => Promise<void>; body: ReaderBody }) => {
      await ack();
      const view = body.view;
      if (!view) return;
      const userId = body.user.id;
      let refusal: string | null = null;
      const reply = await answerUser(slack, userId, { action: actionId }, async (request) => {
        const state = stateOf(view.private_metadata, userId);
        if (!state) {
          request.logger.warn("reader state opsfeed did not make", {
            metadata: (view.private_metadata ?? "").slice(0, 100),
          });
          refusal = t(request.locale, "reader.bad-state");
          return null;
        }
        const position = await next(request, state);
        const page = await reading.readerPage(userId, position);
        await update(view.id, view.hash, renderReader(request.locale, page, userId));
        return null;
      });
      const text = refusal ?? reply?.text;
      if (text !== undefined) {
        const locale = await slack.directory.localeOf(userId);
        await update(view.id, view.hash, renderReaderRefusal(locale, userId, text));
      }
    };

  const update = async (
    viewId: string,
    hash: string | undefined,
    view: ReturnType<typeof renderReader>,
  ) => {
    try {
      await client.views.update({ view_id: viewId, ...(hash ? { hash } : {}), view });
    } catch (error) {
      // A second click before Slack showed the first one's result: the first one stands.
      if (slackErrorCode(error) === "hash_conflict") return;
      throw error;
    }
  };

  /** The shown article's position now: articles saved meanwhile move it down the queue. */
  const anchored = (request: UserRequest, state: ReaderState) =>
    reading.readerPosition(request.userId, state.articleId, state.position);

  app.action<ReaderBody>(
    READER_ACTIONS.previous,
    inPlace(READER_ACTIONS.previous, async (r, state) =>
      Math.max(0, (await anchored(r, state)) - 1),
    ),
  );
  app.action<ReaderBody>(
    READER_ACTIONS.next,
    inPlace(READER_ACTIONS.next, async (r, state) => (await anchored(r, state)) + 1),
  );
  // Done: the shown article leaves the queue, so the same position shows the next one.
  app.action<ReaderBody>(
    READER_ACTIONS.done,
    inPlace(READER_ACTIONS.done, async (request, state) => {
      const position = await anchored(request, state);
      if (state.articleId !== null) {
        const article = await reading.article(request.userId, {
          kind: "number",
          id: state.articleId,
        });
        await reading.done(request.userId, article);
      }
      return position;
    }),
  );

  app.action<ReaderBody>(READER_ACTIONS.comment, async ({ ack, body }) => {
    await ack();
    const userId = body.user.id;
    const state = stateOf(body.view?.private_metadata, userId);
    const reply = await answerUser(slack, userId, { action: READER_ACTIONS.comment }, async (r) => {
      if (!state?.articleId) return null;
      const article = await reading.article(userId, { kind: "number", id: state.articleId });
      await client.views.push({
        trigger_id: body.trigger_id,
        view: renderCommentModal(r.locale, article, { articleId: article.id, channelId: null }),
      });
      return null;
    });
    if (reply && body.view) {
      await update(
        body.view.id,
        body.view.hash,
        renderReaderRefusal(await slack.directory.localeOf(userId), userId, reply.text),
      );
    }
  });

  // Hatena comments: pushed over the reader, which stays where it was.
  app.action<ReaderBody>(READER_ACTIONS.hatena, async ({ ack, body }) => {
    await ack();
    const userId = body.user.id;
    const state = stateOf(body.view?.private_metadata, userId);
    const locale = await slack.directory.localeOf(userId);
    const reply = await answerUser(slack, userId, { action: READER_ACTIONS.hatena }, async (r) => {
      if (!state?.articleId) return { text: t(r.locale, "reader.bad-state") };
      const article = await reading.article(userId, { kind: "number", id: state.articleId });
      return renderHatenaComments(
        r.locale,
        article,
        await slack.services.hatena.comments(article.url),
      );
    });
    await client.views.push({
      trigger_id: body.trigger_id,
      view: renderReaderHatena(locale, reply),
    });
  });

  // The link button opens the URL in the user's browser; Slack still tells opsfeed of it.
  app.action<ReaderBody>(READER_ACTIONS.link, async ({ ack }) => {
    await ack();
  });
}
