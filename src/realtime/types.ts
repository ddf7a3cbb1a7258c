/*
 * The realtime model: what a realtime post shows and what its renderer takes. Imports nothing,
 * so every layer may use it.
 */

/** An article as a realtime post (or an update in its thread) shows it. */
export interface RealtimeArticle {
  articleId: number;
  title: string;
  url: string;
  summary: string | null;
  /** the title of the feed that carried it */
  source: string;
  /** when the feed says it was published, else when opsfeed first saw it */
  publishedAt: string;
  /** bumped each time the feed changed the title or text */
  revision: number;
}

/** What an update in a post's thread says changed. */
export interface RealtimeChange {
  article: RealtimeArticle;
  previousTitle: string;
  previousSummary: string | null;
}

/** A rendered realtime message (what `chat.postMessage` / `chat.update` take besides channel and ts). */
export type RealtimePayload = { text: string } & Record<string, unknown>;

/** Renders realtime posts and their updates (the Slack layer implements it). */
export interface RealtimeRenderer {
  /** the post of a new article, led by its mention (if any) and its latest state */
  post(article: RealtimeArticle, mention: string | null): RealtimePayload;
  /** the reply in the post's thread saying what changed */
  update(change: RealtimeChange): RealtimePayload;
}

/** Edits a posted realtime message (the Slack layer implements it); true when Slack took the edit. */
export type RealtimePostEditor = (message: {
  channelId: string;
  ts: string;
  payload: RealtimePayload;
}) => Promise<boolean>;
