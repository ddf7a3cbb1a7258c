import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { QueuePage } from "../../queue/types.js";
import { QUEUE_ACTIONS } from "../ids.js";
import { context, MAX_BUTTON_TEXT, plain } from "./blocks.js";
import { shortenPlain } from "./escape.js";

/*
 * Lists within Slack's block limits: paging buttons, "…and N more" lines, and fitting several
 * lists into the room a message or view has.
 */

type KnownBlock = types.KnownBlock;

/**
 * The range line ("21–40 of 57") and the Previous/Next buttons, whose value is the offset
 * to show. Each button has its own actions block: both carry QUEUE_ACTIONS.queuePage, and
 * Slack wants an action_id unique within its block.
 */
export function pagingBlocks(locale: Locale, page: QueuePage, shown: number): KnownBlock[] {
  const hasPrevious = page.offset > 0;
  const hasNext = page.offset + shown < page.total;
  if (!hasPrevious && !hasNext) return [];
  const blocks: KnownBlock[] = [];
  if (shown > 0) {
    const range = { from: page.offset + 1, to: page.offset + shown, total: page.total };
    blocks.push(context("queue-range", t(locale, "queue.range", range)));
  }
  if (hasPrevious) {
    const pageSize = Math.max(1, page.pageSize);
    // Past the end (the queue shrank meanwhile), "previous" leads back to the last page.
    const lastPage = Math.floor(Math.max(0, page.total - 1) / pageSize) * pageSize;
    const previous = page.offset >= page.total ? lastPage : Math.max(0, page.offset - pageSize);
    blocks.push(pagingActions("queue-page-previous", t(locale, "queue.button.previous"), previous));
  }
  if (hasNext) {
    blocks.push(
      pagingActions("queue-page-next", t(locale, "queue.button.next"), page.offset + shown),
    );
  }
  return blocks;
}

export function pagingActions(blockId: string, label: string, offset: number): KnownBlock {
  return {
    type: "actions",
    block_id: blockId,
    elements: [
      {
        type: "button",
        action_id: QUEUE_ACTIONS.queuePage,
        text: plain(shortenPlain(label, MAX_BUTTON_TEXT)),
        value: String(offset),
      },
    ],
  };
}

/** A list's blocks: its shown items and a "…and N more" line, or its empty state. */
export function listBlocks<T>(list: {
  items: T[];
  shown: number;
  blockOf: (item: T) => KnownBlock;
  empty: () => KnownBlock;
  more: (count: number) => KnownBlock;
  /** the list's full length when `items` is only part of it (a queue page) */
  total?: number;
}): KnownBlock[] {
  const total = Math.max(list.total ?? 0, list.items.length);
  if (total === 0) return [list.empty()];
  const blocks = list.items.slice(0, list.shown).map(list.blockOf);
  if (total > list.shown) blocks.push(list.more(total - list.shown));
  return blocks;
}

/**
 * How many items of each list to show so that all of them, with each list's "…and N more"
 * line or empty state, take at most `room` blocks. Of a list, `available` items are at hand
 * and `total` exist. The longest list gives way first, so a short one is never squeezed out.
 */
export function fitLists(lists: { available: number; total: number }[], room: number): number[] {
  const shown = lists.map((list) => list.available);
  const cost = () =>
    lists.reduce((sum, list, index) => {
      const count = shown[index] ?? 0;
      return sum + (list.total === 0 ? 1 : count + (count < list.total ? 1 : 0));
    }, 0);
  while (cost() > room) {
    const longest = shown.indexOf(Math.max(...shown));
    if ((shown[longest] ?? 0) === 0) break;
    shown[longest] = (shown[longest] ?? 0) - 1;
  }
  return shown;
}
