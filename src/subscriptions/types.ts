import type { ChannelSchedule } from "../digest/types.js";
import type { SubscriptionDelivery, SubscriptionFilters } from "../feeds/types.js";

/** A subscription request from a channel. */
export interface SubscribeInput {
  channelId: string;
  userId: string;
  feedUrl: string;
  filters: SubscriptionFilters;
  /** digest (the default) or realtime, with its mention */
  delivery?: SubscriptionDelivery;
}

/** What subscribing did, for the reply. */
export interface SubscribeOutcome {
  subscriptionId: number;
  feedTitle: string;
  feedUrl: string;
  /** articles the feed holds now */
  articleCount: number;
  /** of those, how many pass this subscription's filters */
  matchingCount: number;
  /** true when the channel was already subscribed and only its filters changed */
  updated: boolean;
  /** how the subscription delivers now */
  delivery: SubscriptionDelivery;
  /** how it delivered before, when it was there already */
  previous: SubscriptionDelivery | null;
  /** the schedule set because this was the channel's first subscription, else null */
  scheduleCreated: ChannelSchedule | null;
}

/** A subscription as `list` shows it. */
export interface SubscriptionView {
  id: number;
  feedTitle: string;
  feedUrl: string;
  filters: SubscriptionFilters;
  mode: SubscriptionDelivery["mode"];
  mention: string | null;
  lastSuccessAt: string | null;
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string | number>;
  consecutiveFailures: number;
}

/** A channel's subscriptions and the error that stopped its last digest, as `list` shows them. */
export interface ChannelSubscriptions {
  subscriptions: SubscriptionView[];
  digestError: DigestError | null;
}

/** The Slack error that stopped a channel's last digest: for good, or parked after retries. */
export interface DigestError {
  code: string;
  kind: "permanent" | "parked";
}
