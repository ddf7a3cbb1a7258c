import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { AssignedLists, QueuePage } from "../../queue/types.js";
import { context, header, section, uniqueBy } from "./blocks.js";
import { fitLists, listBlocks } from "./lists.js";
import { assignedToMeBlock, queueEmptyText, queueItemBlock } from "./queue-items.js";
import { readerOpenBlock } from "./reader.js";

type KnownBlock = types.KnownBlock;

/** Slack's limit on blocks in a view (App Home, modals). */
const MAX_VIEW_BLOCKS = 100;

/** The App Home tab: the first page of the read-later queue and what is assigned to the user. */
export function renderHome(
  locale: Locale,
  page: QueuePage,
  assigned: AssignedLists,
  today: string,
): types.HomeView {
  const queue = uniqueBy(page.items, (item) => item.article.id);
  const toMe = uniqueBy(assigned.toMe, (assignment) => assignment.id);
  // header, two section headers, the Read button, two dividers, the how-to line
  const [queueShown = 0, toMeShown = 0] = fitLists(
    [
      { available: queue.length, total: Math.max(page.total, queue.length) },
      { available: toMe.length, total: toMe.length },
    ],
    MAX_VIEW_BLOCKS - 7,
  );
  const blocks: KnownBlock[] = [
    header("home-header", t(locale, "queue.home.header")),
    header("home-queue-header", t(locale, "queue.heading", { count: page.total })),
    ...(page.total > 0 ? [readerOpenBlock(locale, "home-reader")] : []),
    ...listBlocks({
      items: queue,
      shown: queueShown,
      blockOf: (item) => queueItemBlock(locale, "home-queue", item),
      empty: () => section("home-queue-empty", queueEmptyText(locale)),
      more: (count) => context("home-queue-more", t(locale, "queue.home.queue-more", { count })),
      // Counted against the whole queue, so the pages after the first are included.
      total: page.total,
    }),
    { type: "divider", block_id: "home-queue-end" },
    header(
      "home-assigned-header",
      t(locale, "queue.assigned.to-me.heading", { count: toMe.length }),
    ),
    ...listBlocks({
      items: toMe,
      shown: toMeShown,
      blockOf: (assignment) => assignedToMeBlock(locale, "home-assigned", assignment, today),
      empty: () => section("home-assigned-empty", t(locale, "queue.assigned.to-me.empty")),
      more: (count) =>
        context("home-assigned-more", t(locale, "queue.home.assigned-more", { count })),
    }),
    { type: "divider", block_id: "home-assigned-end" },
    context(
      "home-how-to",
      t(locale, "queue.home.how-to", {
        readLater: t(locale, "digest.button.read-later"),
        done: t(locale, "digest.button.done"),
        assign: t(locale, "digest.button.assign"),
      }),
    ),
  ];
  return { type: "home", blocks };
}
