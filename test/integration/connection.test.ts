import { expect } from 'chai';
import {
  ConnectionClosedError,
  ConnectionForcedCloseError,
  createConnection,
  MaxClientsError,
  Reader,
  type ReaderLike,
  RedisConnection,
  RedisError,
  type Reply,
  ReplyError,
  TimeoutError,
} from '../../lib';
import { useConnection } from '../helpers/connection';
import { startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

describe('RedisConnection against a real server', () => {
  const t = useConnection();

  describe('#execute()', () => {
    it('returns bulk replies as Buffers by default and status replies as strings', async () => {
      const key = uniqueKey();
      expect(await t.conn.execute('SET', key, 'value')).to.equal('OK');
      expect(await t.conn.execute('GET', key)).to.deep.equal(Buffer.from('value'));
      expect(await t.conn.execute('GET', uniqueKey('missing'))).to.equal(null);
      expect(await t.conn.execute('PING')).to.equal('PONG');
    });

    it('returns integers as numbers and as bigint beyond 2^53', async () => {
      const key = uniqueKey();
      expect(await t.conn.execute('INCRBY', key, 5)).to.equal(5);
      await t.conn.execute('SET', key, '9223372036854775806');
      expect(await t.conn.execute('INCR', key)).to.equal(9223372036854775807n);
    });

    it('gives each of 10,000 concurrent commands its own reply', async () => {
      const key = uniqueKey();
      const replies = await Promise.all(
        Array.from({ length: 10_000 }, (_, i) =>
          i % 3 === 0 ? t.conn.execute('INCR', key) : t.conn.execute('ECHO', `reply-${i}`),
        ),
      );
      let incr = 0;
      replies.forEach((reply, i) => {
        if (i % 3 === 0) expect(reply).to.equal(++incr);
        else expect(reply).to.deep.equal(Buffer.from(`reply-${i}`));
      });
    });

    it('rejects an error reply with a ReplyError carrying its code and the command name', async () => {
      const key = uniqueKey();
      await t.conn.execute('LPUSH', key, 'x');
      const err = await rejectionOf(t.conn.execute('GET', key));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('WRONGTYPE');
      expect((err as ReplyError).command).to.equal('GET');
      // The connection is still usable and aligned.
      expect(await t.conn.execute('ECHO', 'after')).to.deep.equal(Buffer.from('after'));
    });

    it('rejects undefined, null, booleans and objects with TypeError, sends nothing and keeps what was queued', async () => {
      const key = uniqueKey();
      const before = t.conn.execute('SET', key, 'v');
      const bad = [undefined, null, true, {}, [1], Symbol('s')].map((arg) =>
        rejectionOf(t.conn.execute('SET', key, arg as unknown as string)),
      );
      const after = t.conn.execute('GET', key);
      for (const err of await Promise.all(bad)) expect(err).to.be.instanceOf(TypeError);
      expect(await before).to.equal('OK');
      expect(await after).to.deep.equal(Buffer.from('v'));
    });

    it('never throws synchronously, whatever it is given', () => {
      const untyped = t.conn as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
      const results = [untyped.execute(), untyped.execute(42), untyped.execute('GET', {})];
      return Promise.all(results.map((p) => rejectionOf(p))).then((errors) => {
        for (const err of errors) expect(err).to.be.instanceOf(TypeError);
      });
    });

    it('splits a multi-word command name', async () => {
      const reply = await t.conn.execute<Buffer[]>('CONFIG GET', 'maxmemory-policy');
      expect(reply.map(String)).to.deep.equal(['maxmemory-policy', 'noeviction']);
    });
  });

  describe('encodings', () => {
    it('decodes bulk replies with the connection encoding', async () => {
      const utf8 = await createConnection(t.url, { encoding: 'utf8' });
      try {
        const key = uniqueKey();
        await utf8.execute('SET', key, 'ключ 😀');
        expect(utf8.encoding).to.equal('utf8');
        expect(await utf8.execute('GET', key)).to.equal('ключ 😀');
        expect(await utf8.execute('MGET', key, key)).to.deep.equal(['ключ 😀', 'ключ 😀']);
      } finally {
        utf8.close();
      }
    });

    it('lets one command override the encoding, both ways', async () => {
      const utf8 = await createConnection(t.url, { encoding: 'utf8' });
      try {
        const key = uniqueKey();
        await utf8.execute('SET', key, 'abc');
        const [asBuffer, asString, asHex] = await Promise.all([
          utf8.executeWith({ encoding: null }, 'GET', key),
          utf8.execute('GET', key),
          utf8.executeWith({ encoding: 'hex' }, 'GET', key),
        ]);
        expect(asBuffer).to.deep.equal(Buffer.from('abc'));
        expect(asString).to.equal('abc');
        expect(asHex).to.equal('616263');
        expect(await t.conn.executeWith({ encoding: 'utf8' }, 'GET', key)).to.equal('abc');
      } finally {
        utf8.close();
      }
    });

    it("decodes a plugged-in parser's replies itself, with or without a timeout or a signal", async () => {
      /** A parser with only the hiredis contract: it leaves bulk strings as Buffers. */
      class PlainParser implements ReaderLike {
        readonly #reader = new Reader();
        feed(data: Buffer): void {
          this.#reader.feed(data);
        }
        gets(): Reply | false {
          return this.#reader.gets();
        }
        get incomplete(): boolean {
          return this.#reader.incomplete;
        }
      }
      const utf8 = await createConnection(t.url, { encoding: 'utf8', parser: PlainParser });
      try {
        const key = uniqueKey();
        await utf8.execute('SET', key, 'ключ');
        const signal = new AbortController().signal;
        expect(await utf8.execute('GET', key)).to.equal('ключ');
        expect(await utf8.executeWith({ timeout: 5000 }, 'GET', key)).to.equal('ключ');
        expect(await utf8.executeWith({ signal }, 'MGET', key, key)).to.deep.equal([
          'ключ',
          'ключ',
        ]);
        expect(await utf8.executeWith({ encoding: null, timeout: 5000 }, 'GET', key)).to.deep.equal(
          Buffer.from('ключ'),
        );
      } finally {
        utf8.close();
      }
    });

    it('rejects an unknown encoding with TypeError', async () => {
      const err = await rejectionOf(
        t.conn.executeWith({ encoding: 'klingon' as BufferEncoding }, 'GET', 'k'),
      );
      expect(err).to.be.instanceOf(TypeError);
    });
  });

  describe('#executeWith() options', () => {
    it('rejects an unknown key with TypeError naming the closest known one, and sends nothing', async () => {
      const key = uniqueKey();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ timout: 5 }, "executeWith() has no option 'timout'; did you mean 'timeout'?"],
        [{ Encoding: 'utf8' }, "executeWith() has no option 'Encoding'; did you mean 'encoding'?"],
        [{ signal: undefined, abort: 1 }, "executeWith() has no option 'abort'"],
      ];
      for (const [options, message] of cases) {
        const err = await rejectionOf(t.conn.executeWith(options, 'SET', key, 'v'));
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.match(new RegExp(`^${message.replace(/[()?]/g, '\\$&')}`));
      }
      expect(await t.conn.execute('EXISTS', key)).to.equal(0);
    });

    it('rejects options that are not a plain object with TypeError, sending nothing', async () => {
      const key = uniqueKey();
      for (const options of [undefined, null, 'utf8', 5, [], new Map()]) {
        const err = await rejectionOf(
          t.conn.executeWith(options as unknown as object, 'SET', key, 'v'),
        );
        expect(err, String(options)).to.be.instanceOf(TypeError);
        expect(err.message).to.match(/^executeWith\(\)/);
      }
      expect(await t.conn.execute('EXISTS', key)).to.equal(0);
    });

    it('rejects a timeout that is not a positive number with RangeError', async () => {
      for (const timeout of [0, -1, NaN, '5']) {
        const err = await rejectionOf(t.conn.executeWith({ timeout: timeout as number }, 'PING'));
        expect(err, String(timeout)).to.be.instanceOf(RangeError);
      }
    });
  });

  describe('cancellation keeps replies aligned (invariant 1)', () => {
    it('still consumes the replies of aborted and timed-out commands behind a DEBUG SLEEP', async () => {
      const controller = new AbortController();
      const sleeping = t.conn.executeWith({ signal: controller.signal }, 'DEBUG', 'SLEEP', 0.3);
      const timedOut = t.conn.executeWith({ timeout: 50 }, 'ECHO', 'timed-out');
      const aborted = t.conn.executeWith({ signal: controller.signal }, 'ECHO', 'aborted');
      const third = t.conn.execute('ECHO', 'third');
      controller.abort();
      const abortError = await rejectionOf(sleeping);
      expect(abortError.name).to.equal('AbortError');
      expect(await rejectionOf(aborted)).to.equal(abortError);
      const timeoutError = await rejectionOf(timedOut);
      expect(timeoutError).to.be.instanceOf(TimeoutError);
      expect((timeoutError as TimeoutError).code).to.equal('REDMUX_ERR_TIMEOUT');
      expect(await third).to.deep.equal(Buffer.from('third'));
      expect(await t.conn.execute('ECHO', 'fourth')).to.deep.equal(Buffer.from('fourth'));
    });

    it('keeps many interleaved cancelled commands from shifting later replies', async () => {
      const work: Array<Promise<unknown>> = [t.conn.execute('DEBUG', 'SLEEP', 0.1)];
      const expected: Array<[Promise<unknown>, string]> = [];
      for (let i = 0; i < 200; i++) {
        if (i % 2 === 0) {
          work.push(
            t.conn.executeWith({ timeout: 1 }, 'ECHO', `lost-${i}`).catch(() => 'cancelled'),
          );
        } else {
          expected.push([t.conn.execute('ECHO', `kept-${i}`), `kept-${i}`]);
        }
      }
      await Promise.all(work);
      for (const [promise, value] of expected)
        expect(await promise).to.deep.equal(Buffer.from(value));
    });

    it('rejects at once, sending nothing, when the signal is already aborted', async () => {
      const err = await rejectionOf(
        t.conn.executeWith({ signal: AbortSignal.abort() }, 'ECHO', 'never'),
      );
      expect(err.name).to.equal('AbortError');
      expect(await t.conn.execute('ECHO', 'next')).to.deep.equal(Buffer.from('next'));
    });
  });

  describe('#select()', () => {
    it('switches the database and tracks db', async () => {
      const key = uniqueKey();
      await t.conn.execute('SET', key, 'db0');
      expect(await t.conn.select(3)).to.equal('OK');
      expect(t.conn.db).to.equal(3);
      expect(await t.conn.execute('GET', key)).to.equal(null);
      await t.conn.execute('SELECT', 0);
      expect(t.conn.db).to.equal(0);
      expect(await t.conn.execute('GET', key)).to.deep.equal(Buffer.from('db0'));
    });

    it('keeps db unchanged when the server refuses', async () => {
      const err = await rejectionOf(t.conn.execute('SELECT', 100000));
      expect(err).to.be.instanceOf(ReplyError);
      expect(t.conn.db).to.equal(0);
    });

    it('rejects a non-integer db with TypeError', async () => {
      expect(await rejectionOf(t.conn.select(1.5))).to.be.instanceOf(TypeError);
      expect(await rejectionOf(t.conn.select(-1))).to.be.instanceOf(TypeError);
    });

    it('connects straight to the db of the URL or options', async () => {
      const viaUrl = await createConnection(`${t.url}/2`);
      const viaOption = await createConnection(t.url, { db: 4 });
      try {
        expect(viaUrl.db).to.equal(2);
        expect(viaOption.db).to.equal(4);
        const info = String(await viaOption.execute('CLIENT', 'INFO'));
        expect(info).to.match(/ db=4 /);
      } finally {
        viaUrl.close();
        viaOption.close();
      }
    });
  });

  describe('client name', () => {
    it('sets the name on connect', async () => {
      const named = await createConnection(t.url, { name: 'redmux-test' });
      try {
        expect(await named.execute('CLIENT', 'GETNAME')).to.deep.equal(Buffer.from('redmux-test'));
      } finally {
        named.close();
      }
    });
  });

  describe('many replies in one read', () => {
    /**
     * DEBUG SLEEP holds the server while the ECHOs arrive, so that all their replies come back in
     * one write: the connection reads them in one chunk.
     */
    function echoesInOneRead(count: number): Array<Promise<Buffer>> {
      void t.conn.execute('DEBUG', 'SLEEP', '0.05');
      return Array.from({ length: count }, (_, i) => t.conn.execute<Buffer>('ECHO', `e${i}`));
    }

    it('lets the first callers run, and send, before the rest of the replies are settled', async () => {
      const echoes = echoesInOneRead(200);
      let waitingWhenFirstRan = -1;
      let sentFromFirst: Promise<unknown> | undefined;
      void echoes[0]!.then(() => {
        waitingWhenFirstRan = t.conn.inFlight;
        sentFromFirst = t.conn.execute('PING');
      });
      const replies = await Promise.all(echoes);
      replies.forEach((reply, i) => expect(reply).to.deep.equal(Buffer.from(`e${i}`)));
      expect(await sentFromFirst).to.equal('PONG');
      // Most of the 200 were still waiting for their turn when the first caller ran.
      expect(waitingWhenFirstRan).to.be.greaterThan(100);
    });

    /**
     * How many replies each turn settled, as the callers of `echoes` see it: the callers of one
     * turn run together, once their turn has settled all its replies. With `send`, each caller sends
     * a PING when it gets its reply, as concurrent callers that go on working do.
     */
    async function turnSizes(echoes: Array<Promise<Buffer>>, send: boolean): Promise<number[]> {
      const left: number[] = [];
      const pings: Array<Promise<unknown>> = [];
      echoes.forEach((echo, i) => {
        void echo.then(() => {
          // Echoes not settled yet; the PINGs sent so far are answered after all of them.
          left.push(t.conn.inFlight - (send ? i : 0));
          if (send) pings.push(t.conn.execute('PING'));
        });
      });
      const replies = await Promise.all(echoes);
      replies.forEach((reply, i) => expect(reply).to.deep.equal(Buffer.from(`e${i}`)));
      for (const pong of await Promise.all(pings)) expect(pong).to.equal('PONG');
      // Runs of the same count are the turns.
      const sizes: number[] = [];
      left.forEach((value, i) => {
        if (i > 0 && value === left[i - 1]) sizes.push((sizes.pop() ?? 0) + 1);
        else sizes.push(1);
      });
      return sizes;
    }

    it('settles 32 replies per turn while the callers keep sending', async () => {
      // The first turn also settled the DEBUG SLEEP; 31 + 5 × 32 + 9 = 200.
      expect(await turnSizes(echoesInOneRead(200), true)).to.deep.equal([
        31, 32, 32, 32, 32, 32, 9,
      ]);
    });

    it('settles everything after the first turn in one go when its callers sent nothing', async () => {
      expect(await turnSizes(echoesInOneRead(200), false)).to.deep.equal([31, 169]);
    });

    it('answers every command whose reply arrived before the server closed the connection', async () => {
      const echoes = Array.from({ length: 500 }, (_, i) => t.conn.execute('ECHO', `e${i}`));
      const quit = t.conn.execute('QUIT');
      // Callers that send again keep the replies coming in turns, up to the very end.
      const late: Array<Promise<unknown>> = [];
      for (const echo of echoes) void echo.then(() => late.push(t.conn.execute('PING')));
      const replies = await Promise.all(echoes);
      replies.forEach((reply, i) => expect(reply).to.deep.equal(Buffer.from(`e${i}`)));
      expect(await quit).to.equal('OK');
      await t.conn.waitClosed();
      expect(t.conn.closed).to.equal(true);
      // Sent after QUIT: never answered, rejected once the connection closed.
      for (const err of await Promise.all(late.map(rejectionOf))) {
        expect(err).to.be.instanceOf(ConnectionClosedError);
      }
    });
  });

  describe('close semantics (invariant 3)', () => {
    it('close() is synchronous: closed at once, everything pending rejects with ConnectionForcedCloseError', async () => {
      const pending = [
        t.conn.execute('BLPOP', uniqueKey(), 0),
        t.conn.execute('PING'),
        t.conn.execute('ECHO', 'x'),
      ];
      t.conn.close();
      expect(t.conn.closed).to.equal(true);
      for (const err of await Promise.all(pending.map(rejectionOf))) {
        expect(err).to.be.instanceOf(ConnectionForcedCloseError);
        expect((err as RedisError).code).to.equal('REDMUX_ERR_CONNECTION_FORCED_CLOSE');
      }
      await t.conn.waitClosed();
      const later = await rejectionOf(t.conn.execute('PING'));
      expect(later).to.be.instanceOf(ConnectionClosedError);
    });

    it('supports await using', async () => {
      let leaked: RedisConnection | undefined;
      {
        await using scoped = await createConnection(t.url);
        leaked = scoped;
        expect(await scoped.execute('PING')).to.equal('PONG');
      }
      expect(leaked.closed).to.equal(true);
    });

    it('rejects everything pending and sets closed when CLIENT KILL drops the connection', async () => {
      const id = await t.conn.execute<number>('CLIENT', 'ID');
      const pending = [t.conn.execute('BLPOP', uniqueKey(), 0), t.conn.execute('PING')];
      const admin = await createConnection(t.url);
      try {
        expect(await admin.execute('CLIENT', 'KILL', 'ID', id)).to.equal(1);
      } finally {
        admin.close();
      }
      for (const err of await Promise.all(pending.map(rejectionOf))) {
        expect(err).to.be.instanceOf(ConnectionClosedError);
        expect(err).not.to.be.instanceOf(ConnectionForcedCloseError);
      }
      expect(t.conn.closed).to.equal(true);
      await t.conn.waitClosed();
    });

    it('rejects everything pending when the server process dies', async () => {
      const server = await startRedis();
      const victim = await createConnection(server.url);
      try {
        const pending = [
          victim.execute('BLPOP', 'never', 0),
          victim.execute('PING'),
          victim.execute('ECHO', 'x'),
        ];
        await server.kill();
        for (const err of await Promise.all(pending.map(rejectionOf))) {
          expect(err).to.be.instanceOf(ConnectionClosedError);
        }
        expect(victim.closed).to.equal(true);
        expect(await rejectionOf(victim.execute('PING'))).to.be.instanceOf(ConnectionClosedError);
      } finally {
        victim.close();
        await server.stop();
      }
    });

    it('leaves no connection behind on the server after close()', async () => {
      const admin = await createConnection(t.url);
      try {
        const name = `redmux-close-${process.pid}`;
        const temp = await createConnection(t.url, { name });
        expect(String(await admin.execute('CLIENT', 'LIST'))).to.include(`name=${name}`);
        temp.close();
        await temp.waitClosed();
        await eventually(
          async () => !String(await admin.execute('CLIENT', 'LIST')).includes(`name=${name}`),
        );
      } finally {
        admin.close();
      }
    });
  });

  describe('RESET', () => {
    it('follows the server back to db 0, no transaction and no subscriptions', async () => {
      await t.conn.select(2);
      void t.conn.execute('MULTI');
      expect(t.conn.inTransaction).to.equal(true);
      expect(await t.conn.execute('RESET')).to.equal('RESET');
      expect(t.conn.inTransaction).to.equal(false);
      expect(t.conn.db).to.equal(0);

      const channel = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', channel);
      const subscribed = t.conn.pubsubChannels.get(channel);
      expect(await t.conn.execute('RESET')).to.equal('RESET');
      expect(t.conn.inPubsub).to.equal(0);
      expect(t.conn.pubsubChannels.size).to.equal(0);
      const received: unknown[] = [];
      for await (const message of subscribed ?? []) received.push(message);
      expect(received).to.deep.equal([]);
      expect(await t.conn.execute('ECHO', 'normal')).to.deep.equal(Buffer.from('normal'));
    });
  });

  describe('server limits', () => {
    it('rejects with MaxClientsError when the server is full, and closes that connection', async () => {
      const server = await startRedis({ args: ['--maxclients', '1'] });
      const first = await createConnection(server.url);
      try {
        const named = await rejectionOf(createConnection(server.url, { name: 'second' }));
        expect(named).to.be.instanceOf(MaxClientsError);
        // Without a handshake the refusal arrives before any command: the connection closes with it.
        const bare = await createConnection(server.url);
        await bare.waitClosed();
        const err = await rejectionOf(bare.execute('PING'));
        expect(err).to.be.instanceOf(ConnectionClosedError);
        expect((err as Error & { cause: Error }).cause.cause).to.be.instanceOf(MaxClientsError);
        expect(await first.execute('PING')).to.equal('PONG');
      } finally {
        first.close();
        await server.stop();
      }
    });
  });

  describe('MONITOR', () => {
    it('hands every monitored line to the listener and refuses other commands, sending nothing', async () => {
      const lines: string[] = [];
      await t.conn._monitor((line) => lines.push(line));
      const err = await rejectionOf(t.conn.execute('PING'));
      expect((err as RedisError).code).to.equal('REDMUX_ERR_MONITOR_MODE');
      const other = await createConnection(t.url);
      const key = uniqueKey('monitored');
      try {
        await other.execute('SET', key, 'v');
      } finally {
        other.close();
      }
      await eventually(async () => lines.some((line) => line.includes(`"SET" "${key}" "v"`)));
      expect(lines.some((line) => line.includes('"PING"'))).to.equal(false);
      expect(t.conn.closed).to.equal(false);
    });
  });

  describe('pub/sub mode', () => {
    it('rejects other commands while subscribed, sending nothing, and keeps the subscription', async () => {
      const channel = uniqueKey('chan');
      expect(await t.conn.executePubsub('subscribe', channel)).to.deep.equal([
        ['subscribe', channel, 1],
      ]);
      expect(t.conn.inPubsub).to.equal(1);
      const err = await rejectionOf(t.conn.execute('GET', 'k'));
      expect(err).to.be.instanceOf(RedisError);
      expect((err as RedisError).code).to.equal('REDMUX_ERR_PUBSUB_MODE');
      const pong = await t.conn.execute<Buffer[]>('PING');
      expect(pong.map(String)).to.deep.equal(['pong', '']);

      const publisher = await createConnection(t.url);
      try {
        expect(await publisher.execute('PUBLISH', channel, 'hello')).to.equal(1);
      } finally {
        publisher.close();
      }
      const subscribed = t.conn.pubsubChannels.get(channel);
      expect(subscribed).to.not.equal(undefined);
      expect(await subscribed?.get()).to.deep.equal(Buffer.from('hello'));

      expect(await t.conn.executePubsub('unsubscribe')).to.deep.equal([
        ['unsubscribe', channel, 0],
      ]);
      expect(t.conn.inPubsub).to.equal(0);
      expect(await t.conn.execute('ECHO', 'normal again')).to.deep.equal(
        Buffer.from('normal again'),
      );
    });
  });
});
