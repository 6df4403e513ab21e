import diagnostics from 'node:diagnostics_channel';

/** The channels a reconnecting client (a Link, a pool) publishes on. */
export const RECONNECT_EVENTS = ['redmux:reconnecting', 'redmux:ready', 'redmux:lost'];

/** Runs `run` with every event published on the reconnect channels meanwhile, as `[name, payload]`. */
export async function recording<T>(
  run: (events: Array<[string, object]>) => Promise<T>,
): Promise<T> {
  const events: Array<[string, object]> = [];
  const listeners = RECONNECT_EVENTS.map((name) => {
    const listener = (message: unknown): void => void events.push([name, message as object]);
    diagnostics.subscribe(name, listener);
    return [name, listener] as const;
  });
  try {
    return await run(events);
  } finally {
    for (const [name, listener] of listeners) diagnostics.unsubscribe(name, listener);
  }
}

/** Resolves with the next message published on diagnostics channel `name`. */
export function nextEvent<T>(name: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: unknown): void => {
      diagnostics.unsubscribe(name, listener);
      resolve(message as T);
    };
    diagnostics.subscribe(name, listener);
  });
}
