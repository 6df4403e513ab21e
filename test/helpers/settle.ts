// Watching promises settle in unit tests, without a server and without timers.

/** Lets every already-settled promise run its reactions. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Records how a promise settled, without ever leaving a rejection unhandled. */
export function track<T>(promise: Promise<T>): {
  state: () => 'pending' | 'fulfilled' | 'rejected';
  value: () => T | undefined;
  error: () => unknown;
} {
  let state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      state = 'fulfilled';
      value = v;
    },
    (e: unknown) => {
      state = 'rejected';
      error = e;
    },
  );
  return { state: () => state, value: () => value, error: () => error };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
