/*
 * The ids opsfeed gives Slack and reads back: action ids of buttons, callback and input ids
 * of modals, and the metadata event that tags digest messages. Listed once; the manifest
 * test and the renderers read them from here.
 */

/** The action ids of the buttons under each article; their value is the article id. */
export const ARTICLE_ACTIONS = {
  readLater: "article_read_later",
  assign: "article_assign",
  comment: "article_comment",
  done: "article_done",
  /** on articles with a Hatena Bookmark entry: its public comments */
  hatena: "article_hatena",
} as const;

/** Action ids of the reading queue's own buttons. */
export const QUEUE_ACTIONS = {
  /** value: the assignment id */
  cancelAssignment: "assignment_cancel",
  /** value: the offset of the queue page to show */
  queuePage: "queue_page",
} as const;

/** Action ids of a due-date reminder's buttons. */
export const REMINDER_ACTIONS = {
  /** value: the assignment id */
  done: "reminder_done",
  /** value: `<assignment id>:<the due date it reminded of>` */
  snooze: "reminder_snooze",
} as const;

/** The reader: one queued article at a time, in a modal (`READER_VIEW`). */
export const READER_ACTIONS = {
  /** on App Home and the `later` reply; value: the position to open at ("0") */
  open: "reader_open",
  previous: "reader_previous",
  next: "reader_next",
  /** marks the shown article done and shows the next */
  done: "reader_done",
  /** pushes the comment modal for the shown article */
  comment: "reader_comment",
  /** pushes the shown article's Hatena Bookmark comments (articles with a Hatena entry) */
  hatena: "reader_hatena",
  /** the link button (opens the URL in the browser; the click itself needs only an ack) */
  link: "reader_link",
} as const;

/** The reader modal's callback id. */
export const READER_VIEW = "reader";

/** The callback id of the Hatena comments modal pushed over the reader. */
export const READER_HATENA_VIEW = "reader_hatena";

/** What the reader keeps in `private_metadata`: whose queue, which position, which article. */
export interface ReaderState {
  userId: string;
  position: number;
  articleId: number | null;
}

/** Callback ids and input ids of the modals. */
export const QUEUE_VIEWS = {
  assign: {
    callbackId: "assign_article",
    assigneeBlock: "assignee",
    assigneeAction: "assignee_select",
    noteBlock: "note",
    noteAction: "note_input",
    dueBlock: "due",
    dueAction: "due_date",
  },
  comment: {
    callbackId: "comment_article",
    textBlock: "comment",
    textAction: "comment_input",
  },
} as const;

/** What a modal carries in `private_metadata`: which article, from which channel. */
export interface ModalContext {
  articleId: number;
  channelId: string | null;
  /**
   * the link a message shortcut opened the modal for: the user had it, so the article is
   * theirs to act on by URL even when no channel they read has shown it yet
   */
  url?: string;
}

/** The metadata event type that tags every other message opsfeed posts, with its key. */
export const OPSFEED_MESSAGE_EVENT = "opsfeed_message";

/** The Slack message metadata event type that tags every digest message. */
export const DIGEST_METADATA_EVENT = "opsfeed_digest";

/** Metadata on a digest message: which digest, which part (and, once posted, its outbox key). */
export interface DigestMetadataPayload {
  digest_id: number;
  part: number;
  parts: number;
  key?: string;
}

/** Callback ids of the message shortcuts (listed in manifest.yml with `type: message`). */
export const MESSAGE_SHORTCUTS = {
  saveForLater: "save_for_later",
  assignToTeammate: "assign_to_teammate",
} as const;

/** Action ids of the buttons in replies about saving from messages. */
export const SAVED_LINK_ACTIONS = {
  /** value: a ReactionPick as JSON */
  pickForReaction: "reaction_save_pick",
} as const;

/** What the button picking an article of a digest message someone reacted to carries. */
export interface ReactionPick {
  articleId: number;
  channelId: string;
  messageTs: string;
}

/** Action ids of the buttons in search results. */
export const SEARCH_ACTIONS = {
  /** value: a SearchPageValue as JSON */
  nextPage: "search_next",
} as const;

/** What a search's Next button carries: the query as typed and the offset of the next page. */
export interface SearchPageValue {
  q: string;
  o: number;
}
