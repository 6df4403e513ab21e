/**
 * The subscriptions of one connection: which pub/sub commands exist, what may be sent while
 * subscribed, and how confirmations and messages are matched to Channels.
 *
 * @module
 */
import type { SubscriptionGap } from './errors';
import { Channel } from './pubsub';
import { makeGap } from './pubsub-gap';

/** One entry of an executePubsub result: `[kind, channel or pattern, subscription count]`. */
export type PubsubReply = [kind: string, name: string | null, count: number];

type Registry = 'channels' | 'patterns' | 'shards';

/**
 * @internal The subscriptions of a lost connection, kept open for the next one: its Channels by
 * registry, when it was last known good (ms since the Unix epoch), and what ended it.
 */
export interface Orphans {
  readonly channels: Channel[];
  readonly patterns: Channel[];
  readonly shards: Channel[];
  readonly lostAt: number;
  readonly cause: Error;
}

/**
 * @internal What a resubscribe tells each Channel when the server confirms it again: the gap's
 * fields but `resumedAt`, which is the moment of the first confirmation.
 */
export interface Resuming {
  /** The Channels being resubscribed: each hears of the gap once, as the server confirms it. */
  readonly channels: ReadonlySet<Channel>;
  readonly names: readonly string[];
  readonly lostAt: number;
  readonly cause: Error;
  readonly epoch: number;
}

/**
 * @internal What a sharded Channel whose subscription the server dropped (an unsolicited
 * `sunsubscribe`: its slot migrated, or its node became a replica) is told: the Channel left the
 * connection's registry still open, and the hook that claimed it moves it elsewhere.
 */
export type ShardDropHook = (channel: Channel) => boolean;

/** @internal A gap a Channel shows when a connection next confirms its subscription; see {@link gapOnConfirm}. */
export interface DueGap {
  /** The channels of the same loss; may grow until the first of them is confirmed. */
  readonly channels: string[];
  readonly lostAt: number;
  readonly cause: Error;
  readonly epoch: number;
  /** The marker, made at the first confirmation and shared by every channel of the loss. */
  made?: SubscriptionGap;
}

/** Sharded Channels that stay open when the server drops them: set by a cluster's subscribers. */
const shardDropHooks = new WeakMap<Channel, ShardDropHook>();
/** Channels that show a gap marker when next confirmed, on whichever connection. */
const dueGaps = new WeakMap<Channel, DueGap>();

/**
 * @internal An unsolicited `sunsubscribe` of `channel` asks `hook` first: when it returns true the
 * server dropped a subscription its owner still wants (the owner tells it from the reply to its own
 * SUNSUBSCRIBE), so the Channel leaves the connection's registry without being closed and the
 * reply answers no command. `undefined` removes the hook.
 */
export function onShardDropped(channel: Channel, hook: ShardDropHook | undefined): void {
  if (hook === undefined) shardDropHooks.delete(channel);
  else shardDropHooks.set(channel, hook);
}

/**
 * @internal `channel` shows the gap `due` (once) the moment a connection confirms its subscription
 * again, so the marker comes before every message sent to it from then on. A cluster resubscribes
 * a sharded Channel on a connection that may serve others, which a Link's {@link Resuming} cannot.
 */
export function gapOnConfirm(channel: Channel, due: DueGap): void {
  dueGaps.set(channel, due);
}

/** Pub/sub commands: which registry each one changes, and whether it adds to it. */
export const PUBSUB_COMMANDS: ReadonlyMap<string, { registry: Registry; add: boolean }> = new Map([
  ['SUBSCRIBE', { registry: 'channels', add: true }],
  ['UNSUBSCRIBE', { registry: 'channels', add: false }],
  ['PSUBSCRIBE', { registry: 'patterns', add: true }],
  ['PUNSUBSCRIBE', { registry: 'patterns', add: false }],
  ['SSUBSCRIBE', { registry: 'shards', add: true }],
  ['SUNSUBSCRIBE', { registry: 'shards', add: false }],
]);

/** Commands the server accepts while a RESP2 connection is subscribed. */
export const PUBSUB_ALLOWED: ReadonlySet<string> = new Set([
  ...PUBSUB_COMMANDS.keys(),
  'PING',
  'QUIT',
  'RESET',
]);

/** @internal A pub/sub command's arguments, checked: the channel names and the Channel objects given. */
export interface PubsubArgs {
  command: string;
  /** What to send: names as given, so a binary Buffer name reaches the server byte for byte. */
  names: Array<string | Buffer>;
  objects: Map<string, Channel>;
}

/**
 * @internal Checks the arguments of executePubsub: a pub/sub command in any case, and channels as
 * names (string or Buffer) or Channel objects of the right kind.
 *
 * @throws TypeError for another command, no channel to subscribe to, a channel of the wrong kind or
 *   already closed, or a Buffer name that is not valid UTF-8 (channels are keyed by their name).
 */
export function parsePubsubArgs(command: unknown, channels: readonly unknown[]): PubsubArgs {
  const upper = typeof command === 'string' ? command.toUpperCase() : '';
  const spec = PUBSUB_COMMANDS.get(upper);
  if (spec === undefined) {
    throw new TypeError(`executePubsub() runs (P|S)(UN)SUBSCRIBE, not ${upper || typeof command}`);
  }
  if (spec.add && channels.length === 0) {
    throw new TypeError(`${upper} needs at least one channel`);
  }
  const wantsPatterns = spec.registry === 'patterns';
  const names: Array<string | Buffer> = [];
  const objects = new Map<string, Channel>();
  channels.forEach((channel, i) => {
    if (channel instanceof Channel) {
      if (channel._closed) {
        throw new TypeError(
          `channel #${i + 1} of ${upper} is closed: subscribe with a new Channel`,
        );
      }
      if (channel.isPattern !== wantsPatterns) {
        const given = channel.isPattern ? 'a pattern' : 'a channel';
        throw new TypeError(`channel #${i + 1} of ${upper} is ${given}; it takes ${spec.registry}`);
      }
      objects.set(channel.name, channel);
      names.push(channel.name);
    } else if (typeof channel === 'string') {
      names.push(channel);
    } else if (Buffer.isBuffer(channel)) {
      // Channels are keyed by their UTF-8 name; bytes that do not survive decoding could collide.
      if (!Buffer.from(channel.toString('utf8')).equals(channel)) {
        throw new TypeError(`channel #${i + 1} of ${upper} is a Buffer that is not valid UTF-8`);
      }
      names.push(channel);
    } else {
      throw new TypeError(`channel #${i + 1} of ${upper} must be a string, Buffer or Channel`);
    }
  });
  return { command: upper, names, objects };
}

/**
 * @internal The subscriptions of one connection, as the server confirmed them: the Channel of every
 * subscribed channel, pattern and sharded channel, and the counts the server reported. It routes
 * messages; the connection hands confirmations to the command that asked for them.
 */
export class Subscriptions {
  readonly channels = new Map<string, Channel>();
  readonly patterns = new Map<string, Channel>();
  readonly shards = new Map<string, Channel>();
  /** Channels + patterns, as last reported by the server. */
  #count = 0;
  /** Sharded channels, as last reported by the server (they are counted apart). */
  #shardCount = 0;
  /**
   * The connection's encoding, which every Channel subscribed here decodes with unless it has its
   * own: messages themselves always arrive as Buffers (see RedisConnection's #replyEncoding).
   */
  encoding: BufferEncoding | null = null;
  /** Set while a Link resubscribes the Channels of a lost connection; see {@link Resuming}. */
  resuming: Resuming | undefined = undefined;
  /** The gap of the current resubscribe, made at its first confirmation. */
  #gap: SubscriptionGap | undefined = undefined;

  /** The number of subscriptions the server reported. */
  get count(): number {
    return this.#count + this.#shardCount;
  }

  /**
   * What a reply pushed by the server is: a message kind (`message`, `pmessage`, `smessage`), a
   * confirmation kind (`subscribe`, `unsubscribe`…), or null for anything else.
   */
  static kindOf(reply: unknown[]): string | null {
    const first = reply[0];
    if (!(typeof first === 'string' || Buffer.isBuffer(first)) || first.length > 12) return null;
    const kind = first.toString();
    return kind === 'message' ||
      kind === 'pmessage' ||
      kind === 'smessage' ||
      PUBSUB_COMMANDS.has(kind.toUpperCase())
      ? kind
      : null;
  }

  /**
   * Hands a message to its Channel, and an unsolicited `sunsubscribe` that a hook claims to it (see
   * {@link onShardDropped}); returns false for anything else, a confirmation to match to its command.
   */
  deliver(kind: string, reply: unknown[]): boolean {
    switch (kind) {
      case 'sunsubscribe':
        return this.#dropped(reply);
      case 'message':
        this.channels.get(String(reply[1]))?._put(reply[2] as Buffer);
        return true;
      case 'smessage':
        this.shards.get(String(reply[1]))?._put(reply[2] as Buffer);
        return true;
      case 'pmessage':
        this.patterns.get(String(reply[1]))?._put([reply[2] as Buffer, reply[3] as Buffer]);
        return true;
      default:
        return false;
    }
  }

  /** A `sunsubscribe` the Channel's hook says the server sent on its own: forgotten here, left open. */
  #dropped(reply: unknown[]): boolean {
    if (reply[1] === null || reply[1] === undefined) return false;
    const name = String(reply[1]);
    const channel = this.shards.get(name);
    if (channel === undefined) return false;
    const hook = shardDropHooks.get(channel);
    if (hook === undefined || !hook(channel)) return false;
    this.shards.delete(name);
    this.#shardCount = Number(reply[2]);
    return true;
  }

  /** How many channels of the registry `command` changes are subscribed now. */
  size(command: string): number {
    const spec = PUBSUB_COMMANDS.get(command);
    return spec === undefined ? 0 : this[spec.registry].size;
  }

  /**
   * Applies a (un)subscribe confirmation: registers the new Channel (the caller's own object when
   * `requested` has one by that name; an existing subscription keeps its Channel) or closes the
   * unsubscribed one so that its iteration ends.
   */
  confirm(
    kind: string,
    reply: unknown[],
    requested: ReadonlyMap<string, Channel> | null,
  ): PubsubReply {
    const spec = PUBSUB_COMMANDS.get(kind.toUpperCase()) as { registry: Registry; add: boolean };
    const name = reply[1] === null || reply[1] === undefined ? null : String(reply[1]);
    const count = Number(reply[2]);
    const registry = this[spec.registry];
    if (name !== null) {
      if (spec.add) {
        if (!registry.has(name)) {
          const channel = requested?.get(name) ?? new Channel(name, spec.registry === 'patterns');
          channel._bind(this.encoding);
          registry.set(name, channel);
          // Before any message the server sends it from now on, so the marker comes first.
          if (this.resuming?.channels.has(channel)) channel._gap(this.#gapOf(this.resuming));
          else showDueGap(channel);
        }
      } else {
        registry.get(name)?._close();
        registry.delete(name);
      }
    }
    if (spec.registry === 'shards') this.#shardCount = count;
    else this.#count = count;
    return [kind, name, count];
  }

  /** The one gap object of a resubscribe, every Channel of it sharing it (a Receiver yields it once). */
  #gapOf(resuming: Resuming): SubscriptionGap {
    if (this.#gap === undefined || this.#gap.epoch !== resuming.epoch) {
      const { names, lostAt, cause, epoch } = resuming;
      this.#gap = makeGap({ channels: names, lostAt, resumedAt: Date.now(), cause, epoch });
    }
    return this.#gap;
  }

  /** Forgets every Channel without closing it, for a Link to subscribe them again elsewhere. */
  detachAll(): { channels: Channel[]; patterns: Channel[]; shards: Channel[] } {
    const detached = {
      channels: [...this.channels.values()],
      patterns: [...this.patterns.values()],
      shards: [...this.shards.values()],
    };
    this.channels.clear();
    this.patterns.clear();
    this.shards.clear();
    this.#count = this.#shardCount = 0;
    return detached;
  }

  /**
   * Closes every Channel and forgets them: with `error` (a lost or closed connection) readers
   * reject with it; without (RESET) their iteration ends normally.
   */
  closeAll(error?: Error): void {
    for (const registry of [this.channels, this.patterns, this.shards]) {
      for (const channel of registry.values()) channel._close(error);
      registry.clear();
    }
    this.#count = this.#shardCount = 0;
  }
}

/** Puts the gap `channel` waits to show (see {@link gapOnConfirm}), if any: once. */
function showDueGap(channel: Channel): void {
  const due = dueGaps.get(channel);
  if (due === undefined) return;
  dueGaps.delete(channel);
  const { channels, lostAt, cause, epoch } = due;
  due.made ??= makeGap({ channels, lostAt, resumedAt: Date.now(), cause, epoch });
  channel._gap(due.made);
}
