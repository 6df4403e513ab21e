// Mocha hooks that give each test a fresh connection to the shared server.
import { type ConnectionOptions, createConnection, type RedisConnection } from '../../lib';
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
