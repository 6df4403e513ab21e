// The client-wide `commandTimeout` (issue 11, part 2): opt-in; every command without a timeout of
// its own gets it, with executeWith's semantics (TimeoutError, and the reply is still consumed so
// later replies never shift); a call's own timeout wins; blocking commands are exempt unless the
// call gives its own timeout.
import { expect } from 'chai';
import {
  type ConnectionsPool,
  createConnection,
  createPool,
  createRedis,
  type RedisConnection,
  TimeoutError,
} from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

/** Longer than the client-wide deadline used below, so only an exempt command survives it. */
const SLEEP = 0.3;
const DEADLINE = 100;

describe('commandTimeout', function () {
  this.timeout(8000);
  let url: string;
  /** A connection without a deadline: its PING returns once the server is done sleeping. */
  let admin: RedisConnection;
  const opened: Array<RedisConnection | ConnectionsPool> = [];

  async function connection(options = {}, at?: string): Promise<RedisConnection> {
    const conn = await createConnection(at ?? url, { commandTimeout: DEADLINE, ...options });
    opened.push(conn);
    return conn;
  }

  before(async () => {
    ({ url } = await sharedServer());
    admin = await createConnection(url);
  });

  after(async () => {
    admin.close();
    await admin.waitClosed();
  });

  /** Waits until the server finished a DEBUG SLEEP, so the next command is not stuck behind it. */
  async function sleepOver(): Promise<void> {
    await admin.execute('PING');
  }

  afterEach(async () => {
    for (const target of opened.splice(0)) {
      target.close();
      await target.waitClosed();
    }
  });

  describe('on a connection', () => {
    it('rejects a command without its own timeout with TimeoutError, and the next command gets its own reply', async () => {
      const conn = await connection();
      const slow = conn.execute('DEBUG', 'SLEEP', SLEEP);
      const behind = conn.execute('ECHO', 'behind');
      const err = await rejectionOf(slow);
      expect(err).to.be.instanceOf(TimeoutError);
      expect(err.message).to.equal(`DEBUG timed out after ${DEADLINE} ms`);
      // Queued behind the sleep past the deadline too: it timed out as well, its reply consumed.
      expect(await rejectionOf(behind)).to.be.instanceOf(TimeoutError);
      await sleepOver();
      expect(String(await conn.execute('ECHO', 'after'))).to.equal('after');
      expect(conn.closed).to.equal(false);
    });

    it('applies to executeWith() calls that give an encoding or a signal but no timeout', async () => {
      const conn = await connection();
      const signal = new AbortController().signal;
      const withEncoding = conn.executeWith({ encoding: 'utf8' }, 'DEBUG', 'SLEEP', SLEEP);
      expect(await rejectionOf(withEncoding)).to.be.instanceOf(TimeoutError);
      await sleepOver();
      const withSignal = conn.executeWith({ signal }, 'DEBUG', 'SLEEP', SLEEP);
      expect(await rejectionOf(withSignal)).to.be.instanceOf(TimeoutError);
      await sleepOver();
      expect(await conn.executeWith({ encoding: 'utf8' }, 'ECHO', 'aligned')).to.equal('aligned');
    });

    it("lets a call's own timeout win, longer or shorter", async () => {
      const conn = await connection();
      expect(await conn.executeWith({ timeout: 5000 }, 'DEBUG', 'SLEEP', SLEEP)).to.equal('OK');
      const short = await rejectionOf(conn.executeWith({ timeout: 20 }, 'DEBUG', 'SLEEP', SLEEP));
      expect(short.message).to.equal('DEBUG timed out after 20 ms');
      await sleepOver();
    });

    it('exempts blocking commands: BLPOP and XREAD … BLOCK outlive the deadline', async () => {
      const conn = await connection();
      const [list, stream] = [uniqueKey('list'), uniqueKey('stream')];
      const blockMs = SLEEP * 1000;
      expect(await conn.execute('BLPOP', list, SLEEP)).to.equal(null);
      expect(await conn.execute('XREAD', 'BLOCK', blockMs, 'STREAMS', stream, '$')).to.equal(null);
      expect(await conn.executeWith({ encoding: 'utf8' }, 'BRPOP', list, SLEEP)).to.equal(null);
    });

    it('times out a blocking command that gives its own timeout', async () => {
      const conn = await connection();
      const err = await rejectionOf(conn.executeWith({ timeout: 50 }, 'BLPOP', uniqueKey(), 0));
      expect(err).to.be.instanceOf(TimeoutError);
    });

    it('is read from the URL too (?commandTimeout=)', async () => {
      const at = new URL(url);
      at.searchParams.set('commandTimeout', String(DEADLINE));
      const conn = await connection({ commandTimeout: undefined }, at.toString());
      expect(await rejectionOf(conn.execute('DEBUG', 'SLEEP', SLEEP))).to.be.instanceOf(
        TimeoutError,
      );
      await sleepOver();
    });

    it('is not applied to a call that opts out with timeout: Infinity', async () => {
      const conn = await connection();
      expect(await conn.executeWith({ timeout: Infinity }, 'DEBUG', 'SLEEP', SLEEP)).to.equal('OK');
    });

    it('does not bound the handshake (the connect timeout does)', async () => {
      // The server sleeps past the deadline while the connection authenticates and selects.
      const sleeping = admin.execute('DEBUG', 'SLEEP', SLEEP);
      const conn = await connection({ db: 1, name: 'slow-handshake' });
      expect(conn.db).to.equal(1);
      await sleeping;
    });

    it('is off by default', async () => {
      const conn = await connection({ commandTimeout: undefined });
      expect(await conn.execute('DEBUG', 'SLEEP', SLEEP)).to.equal('OK');
    });
  });

  describe('on a pool', () => {
    async function pool(options = {}): Promise<ConnectionsPool> {
      const opened_ = await createPool(url, { commandTimeout: DEADLINE, ...options });
      opened.push(opened_);
      return opened_;
    }

    it('covers the wait for a free connection', async () => {
      const p = await pool({ maxsize: 1 });
      const conn = await p.acquire();
      const err = await rejectionOf(p.execute('PING'));
      expect(err).to.be.instanceOf(TimeoutError);
      expect(err.message).to.include('waiting for a connection');
      await p.release(conn);
      expect(await p.execute('PING')).to.equal('PONG');
    });

    it('times out a slow command and exempts a blocking one', async () => {
      const p = await pool();
      expect(await rejectionOf(p.execute('DEBUG', 'SLEEP', SLEEP))).to.be.instanceOf(TimeoutError);
      await sleepOver();
      expect(await p.execute('BLPOP', uniqueKey(), SLEEP)).to.equal(null);
      expect(await p.executeWith({ timeout: 5000 }, 'DEBUG', 'SLEEP', SLEEP)).to.equal('OK');
    });
  });

  describe('on a Redis client', () => {
    it('times out typed methods and call(), and exempts blpop()', async () => {
      const redis = await createRedis(url, { commandTimeout: DEADLINE, encoding: 'utf8' });
      try {
        expect(await rejectionOf(redis.call('DEBUG', 'SLEEP', SLEEP))).to.be.instanceOf(
          TimeoutError,
        );
        expect(await redis.blpop(uniqueKey(), SLEEP)).to.equal(null);
        expect(await redis.call('ECHO', 'aligned')).to.equal('aligned');
      } finally {
        redis.close();
        await redis.waitClosed();
      }
    });
  });
});
