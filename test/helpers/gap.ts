// Reads of a Channel or Receiver are typed `message | SubscriptionGap`. Tests that expect no gap
// (no connection was lost, no queue was full) unwrap them with these, which fail on a marker.
import { isGap, type SubscriptionGap } from '../../lib';

/** `value`, a message: throws (failing the test) if it is a gap marker. */
export function notGap<T>(value: T | SubscriptionGap): T {
  if (isGap(value)) throw new Error(`unexpected gap marker for ${value.channels.join(', ')}`);
  return value;
}

/** The messages of `iterable`, failing on a gap marker. */
export async function* messagesOf<T>(
  iterable: AsyncIterable<T | SubscriptionGap>,
): AsyncGenerator<T> {
  for await (const item of iterable) yield notGap(item);
}
