import { ReplyError } from '../../lib';

/**
 * redis-server arguments for a server that loads its dataset slowly (1 ms a key) and answers
 * LOADING meanwhile, after a restart or a DEBUG RELOAD; DEBUG POPULATE and RELOAD are allowed.
 */
export const SLOW_LOADING_ARGS = [
  '--key-load-delay',
  '1000',
  '--loading-process-events-interval-bytes',
  '1024',
  '--enable-debug-command',
  'yes',
];

/**
 * Resolves once `ping` is refused with LOADING: the server it goes to is loading. Send it on
 * something that does not retry the refusal (a connection, a client with `reconnect: false`).
 */
export async function untilLoading(ping: () => Promise<unknown>): Promise<void> {
  for (;;) {
    const reply = await ping().catch((err: unknown) => err);
    if (reply instanceof ReplyError && reply.code === 'LOADING') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
