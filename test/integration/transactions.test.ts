import { expect } from 'chai';
import {
  createConnection,
  ExecAbortError,
  RedisConnection,
  ReplyError,
  WatchVariableError,
} from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('MULTI/EXEC inside RedisConnection (invariant 5)', () => {
  let url: string;
  let conn: RedisConnection;

  before(async () => {
    url = (await sharedServer()).url;
  });
  beforeEach(async () => {
    conn = await createConnection(url);
  });
  afterEach(() => conn.close());

  it('tracks inTransaction from MULTI to EXEC and resolves queued commands with QUEUED', async () => {
    const key = uniqueKey();
    expect(conn.inTransaction).to.equal(false);
    const multi = conn.execute('MULTI');
    expect(conn.inTransaction).to.equal(true);
    const queued = [conn.execute('SET', key, 'v'), conn.execute('INCR', uniqueKey())];
    const exec = conn.execute('EXEC');
    expect(conn.inTransaction).to.equal(false);
    expect(await multi).to.equal('OK');
    expect(await Promise.all(queued)).to.deep.equal(['QUEUED', 'QUEUED']);
    expect(await exec).to.deep.equal(['OK', 1]);
  });

  it('decodes each EXEC item with the encoding of the command that queued it', async () => {
    const key = uniqueKey();
    await conn.execute('SET', key, 'abc');
    void conn.execute('MULTI');
    void conn.executeWith({ encoding: 'utf8' }, 'GET', key);
    void conn.execute('GET', key);
    void conn.executeWith({ encoding: 'hex' }, 'GET', key);
    void conn.executeWith({ encoding: 'utf8' }, 'MGET', key, key);
    const results = await conn.execute('EXEC');
    expect(results).to.deep.equal(['abc', Buffer.from('abc'), '616263', ['abc', 'abc']]);
  });

  it('keeps a runtime error in its place in the EXEC reply', async () => {
    const list = uniqueKey('list');
    await conn.execute('LPUSH', list, 'x');
    void conn.execute('MULTI');
    void conn.execute('INCR', list);
    void conn.executeWith({ encoding: 'utf8' }, 'LPOP', list);
    const [incr, pop] = await conn.execute<[ReplyError, string]>('EXEC');
    expect(incr).to.be.instanceOf(ReplyError);
    expect(incr.code).to.equal('WRONGTYPE');
    expect(pop).to.equal('x');
  });

  it('rejects EXEC with WatchVariableError when a WATCHed key changed', async () => {
    const key = uniqueKey();
    await conn.execute('WATCH', key);
    const other = await createConnection(url);
    try {
      await other.execute('SET', key, 'changed by someone else');
    } finally {
      other.close();
    }
    void conn.execute('MULTI');
    const queued = conn.execute('SET', key, 'mine');
    const err = await rejectionOf(conn.execute('EXEC'));
    expect(err).to.be.instanceOf(WatchVariableError);
    expect((err as WatchVariableError).code).to.equal('REDMUX_ERR_WATCH_VARIABLE');
    expect(await queued).to.equal('QUEUED');
    expect(conn.inTransaction).to.equal(false);
    expect(await conn.execute('GET', key)).to.deep.equal(Buffer.from('changed by someone else'));
  });

  it('rejects EXEC with EXECABORT when a command failed to queue, and leaves inTransaction false', async () => {
    void conn.execute('MULTI');
    const good = conn.execute('SET', uniqueKey(), 'v');
    const bad = conn.execute('NOSUCHCOMMAND', 'x');
    const err = await rejectionOf(conn.execute('EXEC'));
    expect(err).to.be.instanceOf(ExecAbortError);
    expect((err as ReplyError).code).to.equal('EXECABORT');
    expect(await good).to.equal('QUEUED');
    expect(await rejectionOf(bad)).to.be.instanceOf(ReplyError);
    expect(conn.inTransaction).to.equal(false);
    expect(await conn.execute('ECHO', 'aligned')).to.deep.equal(Buffer.from('aligned'));
  });

  it('leaves the transaction on DISCARD', async () => {
    void conn.execute('MULTI');
    void conn.execute('SET', uniqueKey(), 'v');
    expect(await conn.execute('DISCARD')).to.equal('OK');
    expect(conn.inTransaction).to.equal(false);
    expect(await conn.execute('ECHO', 'x')).to.deep.equal(Buffer.from('x'));
  });

  it('follows a SELECT run inside the transaction', async () => {
    void conn.execute('MULTI');
    void conn.execute('SELECT', 5);
    expect(await conn.execute('EXEC')).to.deep.equal(['OK']);
    expect(conn.db).to.equal(5);
  });
});
