import { expect } from 'chai';
import {
  ConnectionClosedError,
  ConnectionLostError,
  PoolClosedError,
  ReplyError,
  TimeoutError,
} from '../../lib/errors';
import { neverSent } from '../../lib/cluster/route';

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
