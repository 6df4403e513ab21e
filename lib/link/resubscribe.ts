/**
 * Subscribing a new connection to the Channels of a lost one, before it carries anything else.
 * Each Channel hears of the gap (a marker in its stream) the moment the server confirms it again,
 * so the marker comes before every message sent to it on the new connection.
 *
 * @module
 */
import type { RedisConnection } from '../connection';
import type { Channel } from '../pubsub';
import type { Orphans } from '../subscriptions';

const COMMANDS = ['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE'] as const;

/**
 * Subscribes `conn` to every open Channel of `orphans`, in one round trip. A refusal (a reply error,
 * such as NOPERM for a channel the user may no longer read) closes the Channels of that command
 * with it: the loss is told, not hidden. Rejects only when `conn` itself fails, which makes the
 * reconnect attempt fail (the Channels stay open for the next one).
 */
export async function resubscribe(
  conn: RedisConnection,
  orphans: Orphans,
  epoch: number,
): Promise<void> {
  const groups: Array<[command: string, channels: Channel[]]> = [];
  [orphans.channels, orphans.patterns, orphans.shards].forEach((list, i) => {
    const open = list.filter((channel) => !channel._closed);
    if (open.length > 0) groups.push([COMMANDS[i] as string, open]);
  });
  if (groups.length === 0) return;
  const all = groups.flatMap(([, channels]) => channels);
  const { lostAt, cause } = orphans;
  conn.resuming = {
    channels: new Set(all),
    names: all.map((channel) => channel.name),
    lostAt,
    cause,
    epoch,
  };
  try {
    const results = await Promise.allSettled(
      groups.map(([command, channels]) => conn.executePubsub(command, ...channels)),
    );
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const error = result.reason as Error;
      if (conn.closed) throw error;
      for (const channel of (groups[i] as [string, Channel[]])[1]) channel._close(error);
    });
  } finally {
    conn.resuming = undefined;
  }
}

/** Closes every Channel of `orphans` with `error`: they will not be subscribed again. */
export function closeOrphans(orphans: Orphans, error: Error): void {
  for (const list of [orphans.channels, orphans.patterns, orphans.shards]) {
    for (const channel of list) channel._close(error);
  }
}
