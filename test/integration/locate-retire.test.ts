// The hooks a Sentinel client builds on, against a real server: a config's `locate` is asked for
// the address before every connect and `verify` checks each connection after its handshake; a
// pool's `_retire` takes every connection out of use at once, lets what is pending drain, then
// ends the rest as a loss, and its pub/sub Link resubscribes with a gap marker.
import { expect } from 'chai';
import { ConnectionLostError, isGap, type RedisConnection } from '../../lib';
import { checkReconnecting } from '../../lib/link/options';
import { openConnection } from '../../lib/open-connection';
import { type ConnectionConfig, resolveConfig } from '../../lib/options';
import { ConnectionsPool } from '../../lib/pool';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf } from '../helpers/util';

describe('locate, verify and a pool’s _retire', function () {
  let base: ConnectionConfig;
  let host: string;
  let port: number;

  before(async function () {
    const shared = await sharedServer();
    if (typeof shared.address === 'string') this.skip(); // a unix REDIS_URL: no TCP address to locate
    [host, port] = shared.address as [string, number];
    // Nothing listens on port 1: only `locate` can make these connect.
    base = resolveConfig(['127.0.0.1', 1], { timeout: 2000 });
  });

  it('asks locate before every connect, and closes a connection verify refuses', async function () {
    let asked = 0;
    const config: ConnectionConfig = {
      ...base,
      locate: () => {
        asked++;
        return Promise.resolve({ host, port });
      },
    };
    const conn = await openConnection(config);
    expect(await conn.execute('PING')).to.equal('PONG');
    conn.close();
    expect(asked).to.equal(1);
    let checked: RedisConnection | undefined;
    const refused = await rejectionOf(
      openConnection({
        ...config,
        verify: (candidate) => {
          checked = candidate;
          return Promise.reject(new Error('ROLE is slave'));
        },
      }),
    );
    expect(refused.message).to.equal('ROLE is slave');
    expect(checked?.closed).to.equal(true);
    expect(asked).to.equal(2);
    const lost = await rejectionOf(
      openConnection({ ...config, locate: () => Promise.reject(new Error('no master')) }),
    );
    expect(lost.message).to.equal('no master');
  });

  it('_retire drains, ends what is still pending as a loss, and opens new connections through locate', async function () {
    let asked = 0;
    const config: ConnectionConfig = {
      ...base,
      locate: () => {
        asked++;
        return Promise.resolve({ host, port });
      },
    };
    const { backoff, ...reconnecting } = checkReconnecting('test', {});
    const pool = new ConnectionsPool(config, 1, 4, {
      ...reconnecting,
      backoff: backoff!,
      label: 'sentinel-like',
      retrier: 'master',
    });
    try {
      await pool._fill();
      const name = `retire:${process.pid}`;
      await pool.executePubsub('SUBSCRIBE', name);
      const channel = pool.pubsubChannels.get(name)!;
      expect(await pool.execute('PING')).to.equal('PONG'); // a command connection is open
      const beforeRetire = asked;
      // A shared connection whose command ends within the drain deadline, and a lent one whose
      // BLPOP does not.
      const lent = await pool.acquire();
      const slow = lent.execute('BLPOP', `retire:empty:${process.pid}`, 2);
      const quick = pool.execute('DEBUG', 'SLEEP', '0.05');
      const cause = new Error('the master switched');
      pool._retire(cause, 300);
      expect(await quick).to.equal('OK'); // drained within the deadline
      const err = await rejectionOf(slow);
      expect(err).to.be.instanceOf(ConnectionLostError);
      expect((err as ConnectionLostError).maybeExecuted).to.equal(true);
      expect(err.cause).to.equal(cause);
      // New commands go to new connections, each located again.
      expect(await pool.execute('PING')).to.equal('PONG');
      expect(asked).to.be.greaterThan(beforeRetire);
      // The subscriber came back on a new connection with one gap marker, cause included.
      const gap = await channel.get();
      expect(isGap(gap)).to.equal(true);
      expect((gap as { cause: Error }).cause).to.equal(cause);
    } finally {
      pool.close();
      await pool.waitClosed();
    }
  });
});
