/**
 * Gap markers and the bounds of pub/sub queues (DESIGN.md invariants 10 and 11): what a Channel or
 * Receiver yields where messages may have been lost, how a consumer tells a marker from a message
 * ({@link isGap}), the `redmux:gap` diagnostics event, and the queue options with their checks.
 *
 * @module
 */

import diagnostics from 'node:diagnostics_channel';
import type { SubscriptionGap } from './errors';

/**
 * What a Channel or Receiver does where messages may have been lost (a reconnect, or a full queue
 * under `overflow: 'drop-oldest'`): `'marker'` yields a {@link SubscriptionGap} in order with the
 * messages, `'throw'` makes the read that reaches it reject with `SubscriptionGapError`, and
 * `'ignore'` yields nothing (the `redmux:gap` event is still published).
 */
export type GapPolicy = 'marker' | 'throw' | 'ignore';

/**
 * What a full Channel or Receiver queue does with a new message: `'drop-oldest'` drops the oldest
 * messages to make room and leaves one gap marker where they were; `'error'` drops the new message
 * and the read that reaches that point rejects with `QueueFullError`.
 */
export type OverflowPolicy = 'drop-oldest' | 'error';

/** The gap and bound options of `new Channel()` and `new Receiver()`; see {@link ChannelOptions}. */
export interface QueueOptions {
  /** What a gap becomes in the stream of messages (see {@link GapPolicy}). Default `'marker'`. */
  gaps?: GapPolicy;
  /**
   * At most this many messages wait to be read (markers are not counted); an integer ≥ 1.
   * Default 100,000.
   */
  maxQueued?: number;
  /**
   * At most this many bytes of payload wait to be read (a pattern message counts its channel name
   * too); an integer ≥ 1. Default 64 MiB (67,108,864).
   */
  maxQueuedBytes?: number;
  /** What a full queue does (see {@link OverflowPolicy}). Default `'drop-oldest'`. */
  overflow?: OverflowPolicy;
}

/** {@link QueueOptions} with their defaults applied. */
export interface QueueLimits {
  readonly gaps: GapPolicy;
  readonly maxQueued: number;
  readonly maxQueuedBytes: number;
  readonly overflow: OverflowPolicy;
}

/** The defaults: large enough that normal use never meets them, small enough to bound memory. */
export const DEFAULT_QUEUE_LIMITS: QueueLimits = Object.freeze({
  gaps: 'marker',
  maxQueued: 100_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  overflow: 'drop-oldest',
});

/** The option keys {@link queueLimits} reads. */
export const QUEUE_OPTION_KEYS: readonly string[] = [
  'gaps',
  'maxQueued',
  'maxQueuedBytes',
  'overflow',
];

const GAP_POLICIES: readonly string[] = ['marker', 'throw', 'ignore'];
const OVERFLOW_POLICIES: readonly string[] = ['drop-oldest', 'error'];

/**
 * The limits `options` ask for, defaults filled in. Throws TypeError for a value of the wrong kind
 * and RangeError for a number out of range (constructors have no promise to reject). Unknown keys
 * are the caller's to refuse.
 */
export function queueLimits(where: string, options: QueueOptions | undefined): QueueLimits {
  if (options === undefined) return DEFAULT_QUEUE_LIMITS;
  const { gaps, maxQueued, maxQueuedBytes, overflow } = options;
  if (gaps !== undefined && !GAP_POLICIES.includes(gaps)) {
    throw new TypeError(`${where} option 'gaps' must be 'marker', 'throw' or 'ignore'`);
  }
  if (overflow !== undefined && !OVERFLOW_POLICIES.includes(overflow)) {
    throw new TypeError(`${where} option 'overflow' must be 'drop-oldest' or 'error'`);
  }
  checkBound(where, 'maxQueued', maxQueued);
  checkBound(where, 'maxQueuedBytes', maxQueuedBytes);
  return {
    gaps: gaps ?? DEFAULT_QUEUE_LIMITS.gaps,
    maxQueued: maxQueued ?? DEFAULT_QUEUE_LIMITS.maxQueued,
    maxQueuedBytes: maxQueuedBytes ?? DEFAULT_QUEUE_LIMITS.maxQueuedBytes,
    overflow: overflow ?? DEFAULT_QUEUE_LIMITS.overflow,
  };
}

/** A bound is a whole number from 1 to 2^53 - 1: a queue always has one (no Infinity). */
function checkBound(where: string, key: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number') {
    throw new TypeError(`${where} option '${key}' must be a number, not ${typeof value}`);
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${where} option '${key}' must be an integer from 1 to 2^53 - 1`);
  }
}

/** Gap markers redmux made or was handed: only these pass {@link isGap}. */
const markers = new WeakSet<object>();

/**
 * Whether a value read from a Channel or Receiver is a gap marker rather than a message: the
 * type guard that tells them apart. Only markers a Channel or Receiver produced pass; a message
 * that merely looks like one (`{"kind":"gap"}` through `getJson()`) does not.
 *
 * @example
 * ```ts
 * for await (const message of channel) {
 *   if (isGap(message)) console.warn('lost messages of', message.channels, message.cause);
 *   else handle(message);
 * }
 * ```
 */
export function isGap(value: unknown): value is SubscriptionGap {
  return typeof value === 'object' && value !== null && markers.has(value);
}

/**
 * @internal Marks `gap` as a marker for {@link isGap} (a Channel does so for the gaps the Link
 * hands it) and returns it.
 */
export function registerGap<G extends SubscriptionGap>(gap: G): G {
  markers.add(gap);
  return gap;
}

/** @internal A new, frozen gap marker that {@link isGap} recognises. */
export function makeGap(fields: Omit<SubscriptionGap, 'kind'>): SubscriptionGap {
  const { channels, lostAt, resumedAt, cause, epoch } = fields;
  return registerGap(
    Object.freeze({
      kind: 'gap',
      channels: Object.freeze([...channels]),
      lostAt,
      resumedAt,
      cause,
      epoch,
    }),
  );
}

/**
 * `redmux:gap` on `node:diagnostics_channel`: messages of these subscriptions may have been lost.
 * Published once per loss (for every Channel it affected), and once each time a full queue starts
 * dropping messages. Never carries a message.
 */
export interface GapEvent {
  /** The channels and patterns affected. */
  readonly channels: readonly string[];
  /** When the loss began (the connection was last good, or the first message was dropped), ms. */
  readonly lostAt: number;
  /** When the subscriptions were confirmed again, or (a full queue) when dropping began, ms. */
  readonly resumedAt: number;
  /** What ended the connection, or a `QueueFullError`. */
  readonly cause: Error;
  /** The client's connection count after the loss; for a full queue, its last loss's, or 0. */
  readonly epoch: number;
}

const onGap = diagnostics.channel('redmux:gap');
/** Gaps already published: a loss reaches many Channels but is one event. */
const published = new WeakSet<object>();

/**
 * @internal Publishes `gap` on `redmux:gap`, once per gap object however often it is called (the
 * Link may call it too). Cheap when nobody listens.
 */
export function publishGap(gap: Omit<SubscriptionGap, 'kind'>): void {
  if (published.has(gap)) return;
  published.add(gap);
  if (!onGap.hasSubscribers) return;
  const { channels, lostAt, resumedAt, cause, epoch } = gap;
  const event: GapEvent = { channels: [...channels], lostAt, resumedAt, cause, epoch };
  onGap.publish(event);
}
