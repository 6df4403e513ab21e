// Assertions about what reached the server, read from INFO commandstats, and about error replies.
import { expect } from 'chai';
import { ReplyError } from '../../lib';
import { rejectionOf } from './util';

/** Anything that can send INFO: a Redis client, a ContextRedis… */
export interface InfoSource {
  call<T>(command: string, ...args: string[]): Promise<T>;
}

/**
 * How many times the server has received `command` (`'set'`, `'config|get'`…, any case): run or
 * rejected before running. `failed_calls` are counted in `calls` already.
 */
export async function commandCalls(client: InfoSource, command: string): Promise<number> {
  const info = String(await client.call('INFO', 'commandstats'));
  const prefix = `cmdstat_${command.toLowerCase()}:`;
  const line = info.split('\r\n').find((l) => l.startsWith(prefix));
  if (line === undefined) return 0;
  const field = (name: string): number =>
    Number(new RegExp(`[:,]${name}=(\\d+)`).exec(line)?.[1] ?? 0);
  return field('calls') + field('rejected_calls');
}

/** Expects each call to reject with `type` while `command` does not reach the server. */
export async function expectRefused(
  client: InfoSource,
  command: string,
  type: typeof TypeError | typeof RangeError,
  ...calls: Array<() => Promise<unknown>>
): Promise<void> {
  const before = await commandCalls(client, command);
  for (const call of calls) expect(await rejectionOf(call())).to.be.instanceOf(type);
  expect(await commandCalls(client, command)).to.equal(before);
}

/** Expects `promise` to reject with a WRONGTYPE ReplyError. */
export async function expectWrongType(promise: Promise<unknown>): Promise<void> {
  const err = await rejectionOf(promise);
  expect(err).to.be.instanceOf(ReplyError);
  expect((err as ReplyError).code).to.equal('WRONGTYPE');
}
