import { expect } from 'chai';
import { createConnection, ExecAbortError, ReplyError, WatchVariableError } from '../../lib';
import { useConnection } from '../helpers/connection';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('MULTI/EXEC inside RedisConnection (invariant 5)', () => {
  const t = useConnection();

  it('tracks inTransaction from MULTI to EXEC and resolves queued commands with QUEUED', async () => {
    const key = uniqueKey();
    expect(t.conn.inTransaction).to.equal(false);
    const multi = t.conn.execute('MULTI');
    expect(t.conn.inTransaction).to.equal(true);
    const queued = [t.conn.execute('SET', key, 'v'), t.conn.execute('INCR', uniqueKey())];
    const exec = t.conn.execute('EXEC');
    expect(t.conn.inTransaction).to.equal(false);
    expect(await multi).to.equal('OK');
    expect(await Promise.all(queued)).to.deep.equal(['QUEUED', 'QUEUED']);
    expect(await exec).to.deep.equal(['OK', 1]);
  });

  it('decodes each EXEC item with the encoding of the command that queued it', async () => {
    const key = uniqueKey();
    await t.conn.execute('SET', key, 'abc');
    void t.conn.execute('MULTI');
    void t.conn.executeWith({ encoding: 'utf8' }, 'GET', key);
    void t.conn.execute('GET', key);
    void t.conn.executeWith({ encoding: 'hex' }, 'GET', key);
    void t.conn.executeWith({ encoding: 'utf8' }, 'MGET', key, key);
    const results = await t.conn.execute('EXEC');
    expect(results).to.deep.equal(['abc', Buffer.from('abc'), '616263', ['abc', 'abc']]);
  });

  it('keeps a runtime error in its place in the EXEC reply', async () => {
    const list = uniqueKey('list');
    await t.conn.execute('LPUSH', list, 'x');
    void t.conn.execute('MULTI');
    void t.conn.execute('INCR', list);
    void t.conn.executeWith({ encoding: 'utf8' }, 'LPOP', list);
    const [incr, pop] = await t.conn.execute<[ReplyError, string]>('EXEC');
    expect(incr).to.be.instanceOf(ReplyError);
    expect(incr.code).to.equal('WRONGTYPE');
    expect(pop).to.equal('x');
  });

  it('rejects EXEC with WatchVariableError when a WATCHed key changed', async () => {
    const key = uniqueKey();
    await t.conn.execute('WATCH', key);
    const other = await createConnection(t.url);
    try {
      await other.execute('SET', key, 'changed by someone else');
    } finally {
      other.close();
    }
    void t.conn.execute('MULTI');
    const queued = t.conn.execute('SET', key, 'mine');
    const err = await rejectionOf(t.conn.execute('EXEC'));
    expect(err).to.be.instanceOf(WatchVariableError);
    expect((err as WatchVariableError).code).to.equal('REDMUX_ERR_WATCH_VARIABLE');
    expect(await queued).to.equal('QUEUED');
    expect(t.conn.inTransaction).to.equal(false);
    expect(await t.conn.execute('GET', key)).to.deep.equal(Buffer.from('changed by someone else'));
  });

  it('rejects EXEC with EXECABORT when a command failed to queue, and leaves inTransaction false', async () => {
    void t.conn.execute('MULTI');
    const good = t.conn.execute('SET', uniqueKey(), 'v');
    const bad = t.conn.execute('NOSUCHCOMMAND', 'x');
    const err = await rejectionOf(t.conn.execute('EXEC'));
    expect(err).to.be.instanceOf(ExecAbortError);
    expect((err as ReplyError).code).to.equal('EXECABORT');
    expect(await good).to.equal('QUEUED');
    expect(await rejectionOf(bad)).to.be.instanceOf(ReplyError);
    expect(t.conn.inTransaction).to.equal(false);
    expect(await t.conn.execute('ECHO', 'aligned')).to.deep.equal(Buffer.from('aligned'));
  });

  it('leaves the transaction on DISCARD', async () => {
    void t.conn.execute('MULTI');
    void t.conn.execute('SET', uniqueKey(), 'v');
    expect(await t.conn.execute('DISCARD')).to.equal('OK');
    expect(t.conn.inTransaction).to.equal(false);
    expect(await t.conn.execute('ECHO', 'x')).to.deep.equal(Buffer.from('x'));
  });

  it('tracks watching from WATCH until EXEC, DISCARD, UNWATCH or RESET', async () => {
    const key = uniqueKey();
    expect(t.conn.watching).to.equal(false);
    for (const end of [['EXEC'], ['DISCARD'], ['UNWATCH'], ['RESET']]) {
      void t.conn.execute('WATCH', key);
      expect(t.conn.watching).to.equal(true);
      if (end[0] !== 'UNWATCH' && end[0] !== 'RESET') void t.conn.execute('MULTI');
      await t.conn.execute(end[0] as string);
      expect(t.conn.watching, end[0]).to.equal(false);
    }
  });

  it('follows a SELECT run inside the transaction', async () => {
    void t.conn.execute('MULTI');
    void t.conn.execute('SELECT', 5);
    expect(await t.conn.execute('EXEC')).to.deep.equal(['OK']);
    expect(t.conn.db).to.equal(5);
  });
});
