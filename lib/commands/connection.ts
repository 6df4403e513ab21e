/**
 * The stateless connection commands: ECHO and PING. (SELECT, AUTH and QUIT change the client's
 * state, so they are methods of Redis itself, not of this group.)
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import { type Bulk, Commands, type ReadOptions } from './base';

export abstract class ConnectionCommands<S = Buffer> extends Commands<S> {
  /** ECHO: the message back. */
  echo<O extends ReadOptions | undefined = undefined>(
    message: Arg,
    options?: O,
  ): Promise<Bulk<O, S>> {
    return this.read(options, 'ECHO', message);
  }

  /** PING: 'PONG', or `message` back. */
  ping(message?: Arg): Promise<string | S> {
    return message === undefined ? this.execute('PING') : this.execute('PING', message);
  }
}
