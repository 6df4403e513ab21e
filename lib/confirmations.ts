/**
 * The pub/sub side of reply dispatch: a message goes to its Channel, a (un)subscribe confirmation
 * to the command at the head of the FIFO that asked for it, which settles once it has them all.
 * A plain function over the connection's own objects, called once per pub/sub reply.
 *
 * @module
 */
import type Denque from 'denque';
import { Kind, type Pending, type SentState } from './pending';
import type { Reply } from './protocol/reader';
import type { PubsubReply, Subscriptions } from './subscriptions';

/** Routes a message to its Channel, or hands a (un)subscribe confirmation to the command that asked for it. */
export function onPubsub(
  subscriptions: Subscriptions,
  pending: Denque<Pending>,
  state: SentState,
  kind: string,
  reply: Reply[],
): void {
  if (subscriptions.deliver(kind, reply)) return;
  const upper = kind.toUpperCase();
  const head = pending.peekFront();
  // An unsolicited confirmation (the server dropping a sharded subscription) answers no command.
  const mine = head?.kind === Kind.Pubsub && head.command === upper ? head : undefined;
  const special = mine?.special ?? null;
  if (special !== null && special.state === -1) {
    special.state = Math.max(1, subscriptions.size(upper));
  }
  const entry = subscriptions.confirm(kind, reply, special?.channels ?? null);
  if (mine === undefined || special === null) return;
  const collected = special.items as PubsubReply[];
  collected.push(entry);
  if (collected.length < special.state) return;
  pending.shift();
  state.pubsubPending--;
  special.cleanup?.();
  mine.resolve(collected as never);
}
