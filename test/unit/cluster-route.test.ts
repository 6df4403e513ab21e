import { expect } from 'chai';
import {
  ConnectionClosedError,
  ConnectionLostError,
  PoolClosedError,
  ReplyError,
  TimeoutError,
} from '../../lib/errors';
import { CrossSlotError } from '../../lib/cluster/cluster-errors';
import { type CommandSpec, commandSpec } from '../../lib/cluster/command-keys';
import { KEYLESS, neverSent, slotOf } from '../../lib/cluster/route';
import { hashSlot } from '../../lib/cluster/slot';
import type { Arg } from '../../lib/protocol/encoder';

describe('neverSent()', () => {
  it('is true for failures that prove nothing was written: a closed pool, a refused connect', () => {
    expect(neverSent(new PoolClosedError())).to.equal(true);
    expect(neverSent(new ConnectionLostError('lost before the write', false))).to.equal(true);
    expect(neverSent(new ConnectionClosedError('closed'))).to.equal(true);
    expect(neverSent(Object.assign(new Error('refused'), { syscall: 'connect' }))).to.equal(true);
  });

  it('is false for a command that may have run: written, then lost or timed out', () => {
    expect(neverSent(new ConnectionLostError('lost after the write', true))).to.equal(false);
    expect(neverSent(new TimeoutError('no reply', { maybeExecuted: true }))).to.equal(false);
    expect(neverSent(new ReplyError('ERR something'))).to.equal(false);
    expect(neverSent(new Error('anything else'))).to.equal(false);
  });
});

describe('slotOf()', () => {
  const spec = (name: string, args: Arg[]): CommandSpec => commandSpec(name, args) as CommandSpec;

  it('takes the one-key fast path for GET, SET, HSET and the full key specs otherwise', () => {
    for (const name of ['get', 'SET', 'hset', 'incr', 'expire']) {
      expect(spec(name, ['k', 'v']).singleKey, name).to.equal(true);
    }
    for (const name of ['mget', 'del', 'eval', 'zunionstore', 'migrate', 'sort', 'ping']) {
      expect(spec(name, ['k']).singleKey, name).to.equal(false);
    }
    expect(slotOf(spec('get', ['{user:1}:a']), ['{user:1}:a'])).to.equal(hashSlot('user:1'));
    expect(slotOf(spec('set', ['foo', 'v']), ['foo', 'v'])).to.equal(12182);
    expect(slotOf(spec('get', []), [])).to.equal(KEYLESS);
    expect(slotOf(spec('ping', []), [])).to.equal(KEYLESS);
  });

  it('says split for split commands over several slots, CrossSlotError for the others', () => {
    expect(slotOf(spec('mget', ['a', 'b']), ['a', 'b'])).to.equal('split');
    const cross = slotOf(spec('rename', ['a', 'b']), ['a', 'b']);
    expect(cross).to.be.instanceOf(CrossSlotError);
    expect((cross as CrossSlotError).keys).to.deep.equal(['a', 'b']);
    expect(slotOf(spec('rename', ['{t}a', '{t}b']), ['{t}a', '{t}b'])).to.equal(hashSlot('t'));
  });

  it('returns (never throws) the error for a key of a bad type or a bad numkeys', () => {
    const badKey = slotOf(spec('get', [undefined as unknown as Arg]), [
      undefined as unknown as Arg,
    ]);
    expect(badKey).to.be.instanceOf(TypeError);
    const args: Arg[] = ['return 1', 'x', 'k'];
    expect(slotOf(spec('eval', args), args)).to.be.instanceOf(TypeError);
  });
});
