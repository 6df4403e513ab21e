/**
 * The one way redmux gives up on something: after a timeout, or when an AbortSignal aborts.
 *
 * @module
 */
import { TimeoutError } from './errors';

/**
 * Calls `expire` once: with a TimeoutError (`message`) after `timeout` milliseconds, or with the
 * signal's reason when it aborts, whichever comes first. Returns the function that disarms both;
 * call it when the thing finished in time.
 */
export function armDeadline(
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  message: string,
  expire: (error: Error) => void,
): () => void {
  const disarm = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  const fire = (error: Error): void => {
    disarm();
    expire(error);
  };
  const onAbort = (): void => fire(signal?.reason as Error);
  const timer =
    timeout === undefined ? undefined : setTimeout(() => fire(new TimeoutError(message)), timeout);
  signal?.addEventListener('abort', onAbort, { once: true });
  return disarm;
}
