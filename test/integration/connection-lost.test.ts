// A command pending on a connection that is lost rejects with ConnectionLostError, which tells its
// fate: maybeExecuted when it was handed to the socket (it may have run), not when it never left
// the client (DESIGN.md invariant 9).
import { expect } from 'chai';
import {
  ConnectionClosedError,
  ConnectionForcedCloseError,
  ConnectionLostError,
  createConnection,
  createRedis,
} from '../../lib';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { rejectionOf } from '../helpers/util';

describe('a lost connection', function () {
  this.timeout(20_000);
  let server: RedisServer;

  beforeEach(async () => {
    server = await startRedis();
  });

  afterEach(async () => {
    await server.stop();
  });

  it('rejects a written command with ConnectionLostError, maybeExecuted, the loss as cause', async () => {
    const conn = await createConnection(server.url);
    const killer = await createConnection(server.url);
    const id = await conn.execute<number>('CLIENT', 'ID');
    const blocked = conn.execute('BLPOP', 'lost:nothing', 0);
    await killer.execute('CLIENT', 'KILL', 'ID', id);
    const error = await rejectionOf(blocked);
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect(error).to.be.instanceOf(ConnectionClosedError); // what round-1 callers catch
    expect((error as ConnectionLostError).maybeExecuted).to.equal(true);
    expect((error as ConnectionLostError).code).to.equal('REDMUX_ERR_CONNECTION_LOST');
    expect(error.message).to.match(/^BLPOP may have run: Connection to .* closed by the server$/);
    expect(error.cause).to.be.instanceOf(ConnectionClosedError);
    expect(conn.closeReason).to.equal(error.cause);
    killer.close();
  });

  it('says maybeExecuted: false for commands that never left the client', async () => {
    const conn = await createConnection(server.url);
    // A stopped server reads nothing: once the kernel's buffers are full the socket pushes back,
    // and commands of later turns stay in the client's outbox, never handed to the socket.
    process.kill(server.pid, 'SIGSTOP');
    const big = Buffer.alloc(1024 * 1024, 'x');
    const written = Array.from({ length: 48 }, (_, i) => conn.execute('SET', `lost:big:${i}`, big));
    await new Promise((resolve) => setImmediate(resolve));
    const queued = Array.from({ length: 5 }, () => conn.execute('INCR', 'lost:counter'));
    const outcomes = [...written, ...queued].map((p) => rejectionOf(p));
    await new Promise((resolve) => setImmediate(resolve));
    await server.kill();
    const errors = await Promise.all(outcomes);
    for (const error of errors) expect(error).to.be.instanceOf(ConnectionLostError);
    const fates = errors.map((e) => (e as ConnectionLostError).maybeExecuted);
    // FIFO order: every command that may have run comes before every one that did not.
    const firstUnsent = fates.indexOf(false);
    expect(firstUnsent).to.be.greaterThan(0);
    expect(fates.slice(firstUnsent).every((fate) => fate === false)).to.equal(true);
    expect(fates.slice(-5)).to.deep.equal([false, false, false, false, false]);
    expect(errors.at(-1)?.message).to.match(/^INCR was not sent: /);
  });

  it('keeps ConnectionForcedCloseError for close(): the caller chose it', async () => {
    const redis = await createRedis(server.url);
    const blocked = redis.blpop(['lost:nothing'], 0);
    await new Promise((resolve) => setImmediate(resolve));
    redis.close();
    const error = await rejectionOf(blocked);
    expect(error).to.be.instanceOf(ConnectionForcedCloseError);
    expect(error).not.to.be.instanceOf(ConnectionLostError);
  });
});
