// Small assertions shared by the tests.
import { expect } from 'chai';

/** Resolves with the error `promise` rejects with; fails the test if it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    const value = await promise;
    expect.fail(`expected a rejection, got ${String(value)}`);
  } catch (err) {
    if (err instanceof Error && err.name === 'AssertionError') throw err;
    return err as Error;
  }
}

let counter = 0;
/** A key no other test uses, so tests can share a server. */
export function uniqueKey(label = 'key'): string {
  counter += 1;
  return `redmux-test:${process.pid}:${label}:${counter}`;
}

/** Polls `check` until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) expect.fail(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
