// A batch on a single-connection client whose connection is gone: it never leaves, so execute()
// and every command reject with why the connection closed (as a closed pool's PoolClosedError),
// not with a PipelineError listing one ConnectionClosedError per command.
import { expect } from 'chai';
import {
  ConnectionClosedError,
  ConnectionForcedCloseError,
  createRedis,
  MultiExec,
  Pipeline,
  PipelineError,
  type Redis,
} from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('A batch on a closed single-connection client', () => {
  let url: string;
  const opened: Redis[] = [];

  async function client(options?: { reconnect: false }): Promise<Redis> {
    const redis = await createRedis(url, options);
    opened.push(redis);
    return redis;
  }

  before(async () => {
    ({ url } = await sharedServer());
  });

  afterEach(async () => {
    const clients = opened.splice(0);
    for (const redis of clients) redis.close();
    await Promise.all(clients.map((redis) => redis.waitClosed()));
  });

  /** Queues two commands on a new batch of `redis`, runs it, and returns every rejection. */
  async function rejectionsOf(
    batch: Pipeline | MultiExec,
  ): Promise<{ execute: Error; commands: Error[] }> {
    const commands = [batch.set(uniqueKey(), 'v'), batch.get(uniqueKey())];
    const execute = await rejectionOf(batch.execute());
    return { execute, commands: await Promise.all(commands.map((c) => rejectionOf(c))) };
  }

  /** What each way of losing the connection leaves as its close reason. */
  const losses: Array<{
    how: string;
    /** A loss the client would survive by reconnecting is tested on a client that does not. */
    reconnect?: false;
    lose: (redis: Redis) => Promise<void>;
    expected: (err: Error) => void;
  }> = [
    {
      how: 'after close()',
      lose: async (redis) => redis.close(),
      expected: (err) => expect(err).to.be.instanceOf(ConnectionForcedCloseError),
    },
    {
      how: 'after quit()',
      lose: async (redis) => {
        await redis.quit();
      },
      expected: (err) => {
        expect(err).to.be.instanceOf(ConnectionClosedError);
        expect(err).not.to.be.instanceOf(ConnectionForcedCloseError);
      },
    },
    {
      how: 'after the server killed the connection (CLIENT KILL)',
      reconnect: false,
      lose: async (redis) => {
        const id = await redis.clientId();
        const other = await client();
        await other.call('CLIENT', 'KILL', 'ID', String(id));
        await redis.waitClosed();
      },
      expected: (err) => {
        expect(err).to.be.instanceOf(ConnectionClosedError);
        expect(err.message).to.match(/closed by the server/);
      },
    },
  ];

  for (const { how, reconnect, lose, expected } of losses) {
    for (const kind of ['pipeline', 'multiExec'] as const) {
      it(`${how}, ${kind}() rejects execute() and every command with the close reason itself`, async () => {
        const redis = await client(reconnect === false ? { reconnect } : undefined);
        await lose(redis);
        expect(redis.closed).to.equal(true);
        const { execute, commands } = await rejectionsOf(redis[kind]());
        expect(execute).not.to.be.instanceOf(PipelineError);
        expected(execute);
        // The same error the connection's pending commands got: one cause, told once.
        expect(execute).to.equal(redis.connection?.closeReason);
        for (const err of commands) expect(err).to.equal(execute);
      });
    }
  }

  it('a batch made while open and run after close() rejects the same way', async () => {
    const redis = await client();
    const pipe = redis.pipeline();
    const get = pipe.get(uniqueKey());
    redis.close();
    const err = await rejectionOf(pipe.execute());
    expect(err).to.be.instanceOf(ConnectionForcedCloseError);
    expect(await rejectionOf(get)).to.equal(err);
  });
});
