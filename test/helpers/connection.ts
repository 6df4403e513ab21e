// Mocha hooks that give tests connections and clients on the shared server.
import {
  type ConnectionOptions,
  createConnection,
  createRedis,
  type Redis,
  type RedisConnection,
} from '../../lib';
import { sharedServer } from './hooks';

/** What {@link useConnection} provides; read it inside tests and hooks, not at describe time. */
export interface ConnectionContext {
  /** The shared server's URL. */
  url: string;
  /** A connection opened before each test and closed after it. */
  conn: RedisConnection;
}

/** Registers hooks that open `conn` to the shared server before each test and close it after. */
export function useConnection(options?: ConnectionOptions): ConnectionContext {
  const context = {} as ConnectionContext;
  before(async () => {
    context.url = (await sharedServer()).url;
  });
  beforeEach(async () => {
    context.conn = await createConnection(context.url, options);
  });
  afterEach(async () => {
    context.conn.close();
    await context.conn.waitClosed();
  });
  return context;
}

/**
 * Registers hooks that open two clients on the shared server before the tests of the enclosing
 * describe (one returning Buffers, one utf8 strings), hand them to `receive`, and close them after.
 */
export function useSharedClients(
  receive: (buffers: Redis<Buffer>, strings: Redis<string>) => void,
): void {
  const clients: Array<Redis<Buffer> | Redis<string>> = [];
  before(async () => {
    const { url } = await sharedServer();
    const buffers = await createRedis(url);
    const strings = await createRedis(url, { encoding: 'utf8' });
    clients.push(buffers, strings);
    receive(buffers, strings);
  });
  after(async () => {
    for (const client of clients) client.close();
    await Promise.all(clients.map((client) => client.waitClosed()));
  });
}
