import { expect } from 'chai';
import * as errors from '../../lib/errors';

const {
  AuthError,
  BusyError,
  BusyGroupError,
  ChannelClosedError,
  ConnectionClosedError,
  ConnectionForcedCloseError,
  ConnectionLostError,
  ExecAbortError,
  LoadingError,
  MaxClientsError,
  MultiExecError,
  NoPermError,
  NoScriptError,
  PipelineError,
  PoolClosedError,
  QueueFullError,
  ProtocolError,
  ReadOnlyError,
  RedisError,
  ReplyError,
  SubscriptionGapError,
  TimeoutError,
  WatchVariableError,
  replyError,
} = errors;

describe('errors', () => {
  describe('every class', () => {
    const cases: Array<[Error, string, string, Array<new (...args: never[]) => Error>]> = [
      [new ProtocolError('x'), 'ProtocolError', 'REDMUX_ERR_PROTOCOL', [RedisError]],
      [new ReplyError('ERR x'), 'ReplyError', 'ERR', [RedisError]],
      [new PipelineError('x', [], []), 'PipelineError', 'REDMUX_ERR_PIPELINE', [RedisError]],
      [
        new MultiExecError('x', [], []),
        'MultiExecError',
        'REDMUX_ERR_MULTI_EXEC',
        [PipelineError, RedisError],
      ],
      [
        new WatchVariableError(),
        'WatchVariableError',
        'REDMUX_ERR_WATCH_VARIABLE',
        [MultiExecError, PipelineError, RedisError],
      ],
      [new ChannelClosedError(), 'ChannelClosedError', 'REDMUX_ERR_CHANNEL_CLOSED', [RedisError]],
      [
        new ConnectionClosedError(),
        'ConnectionClosedError',
        'REDMUX_ERR_CONNECTION_CLOSED',
        [RedisError],
      ],
      [
        new ConnectionForcedCloseError(),
        'ConnectionForcedCloseError',
        'REDMUX_ERR_CONNECTION_FORCED_CLOSE',
        [ConnectionClosedError, RedisError],
      ],
      [
        new ConnectionLostError('lost', true),
        'ConnectionLostError',
        'REDMUX_ERR_CONNECTION_LOST',
        [ConnectionClosedError, RedisError],
      ],
      [new QueueFullError(), 'QueueFullError', 'REDMUX_ERR_QUEUE_FULL', [RedisError]],
      [
        new SubscriptionGapError({
          kind: 'gap',
          channels: ['news'],
          lostAt: 1000,
          resumedAt: 1250,
          cause: new Error('reset'),
          epoch: 2,
        }),
        'SubscriptionGapError',
        'REDMUX_ERR_SUBSCRIPTION_GAP',
        [RedisError],
      ],
      [new PoolClosedError(), 'PoolClosedError', 'REDMUX_ERR_POOL_CLOSED', [RedisError]],
      [new TimeoutError(), 'TimeoutError', 'REDMUX_ERR_TIMEOUT', [RedisError]],
    ];
    for (const [error, name, code, ancestors] of cases) {
      it(`${name} has name ${name}, code ${code} and its place in the hierarchy`, () => {
        expect(error.name).to.equal(name);
        expect((error as errors.RedisError).code).to.equal(code);
        expect(error).to.be.instanceOf(Error);
        for (const ancestor of ancestors) expect(error).to.be.instanceOf(ancestor);
        expect(String(error)).to.match(new RegExp(`^${name}: `));
      });
    }

    it('ConnectionLostError says whether the command may have run; QueueFullError that it did not', () => {
      expect(new ConnectionLostError('lost', true).maybeExecuted).to.equal(true);
      expect(new ConnectionLostError('lost', false).maybeExecuted).to.equal(false);
      expect(new QueueFullError().maybeExecuted).to.equal(false);
    });

    it('SubscriptionGapError carries its gap, with the loss as its cause', () => {
      const cause = new Error('reset');
      const gap = {
        kind: 'gap' as const,
        channels: ['a', 'b*'],
        lostAt: 10,
        resumedAt: 35,
        cause,
        epoch: 3,
      };
      const error = new SubscriptionGapError(gap);
      expect(error.gap).to.equal(gap);
      expect(error.cause).to.equal(cause);
      expect(error.message).to.equal(
        'Messages of 2 subscription(s) may have been lost during 25 ms',
      );
    });

    it('keeps the cause it is given', () => {
      const cause = new Error('socket reset');
      expect(new ConnectionClosedError('lost', { cause }).cause).to.equal(cause);
    });
  });

  describe('replyError()', () => {
    const table: Array<[string, new (...args: never[]) => errors.ReplyError, string]> = [
      ['ERR unknown command', ReplyError, 'ERR'],
      [
        'WRONGTYPE Operation against a key holding the wrong kind of value',
        ReplyError,
        'WRONGTYPE',
      ],
      ['NOAUTH Authentication required.', AuthError, 'NOAUTH'],
      ['WRONGPASS invalid username-password pair or user is disabled.', AuthError, 'WRONGPASS'],
      ['ERR invalid password', AuthError, 'ERR'],
      ['ERR AUTH <password> called without any password configured', AuthError, 'ERR'],
      ['ERR max number of clients reached', MaxClientsError, 'ERR'],
      ["READONLY You can't write against a read only replica.", ReadOnlyError, 'READONLY'],
      ['BUSYGROUP Consumer Group name already exists', BusyGroupError, 'BUSYGROUP'],
      ['NOSCRIPT No matching script.', NoScriptError, 'NOSCRIPT'],
      ['EXECABORT Transaction discarded because of previous errors.', ExecAbortError, 'EXECABORT'],
      ['NOPERM this user has no permissions to run the command', NoPermError, 'NOPERM'],
      ['LOADING Redis is loading the dataset in memory', LoadingError, 'LOADING'],
      ['BUSY Redis is busy running a script.', BusyError, 'BUSY'],
      ['CUSTOMERR', ReplyError, 'CUSTOMERR'],
    ];
    for (const [message, Class, code] of table) {
      it(`maps "${message.slice(0, 30)}" to ${Class.name} with code ${code}`, () => {
        const error = replyError(message);
        expect(error.constructor).to.equal(Class);
        expect(error.code).to.equal(code);
        expect(error.message).to.equal(message);
        expect(error).to.be.instanceOf(ReplyError);
      });
    }
  });
});
