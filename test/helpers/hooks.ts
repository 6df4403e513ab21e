// Mocha root hooks (loaded through .mocharc.json `require`) and the shared server that
// integration tests talk to.
//
// Set REDIS_URL to run the integration tests against an existing server instead of a started one.
// Tests that need a server they can kill or restart call startRedis() themselves; whatever they
// forget to stop is stopped here after the run, and so is the shared cluster (cluster.ts).
import { stopSharedCluster } from './cluster';
import { closeAllFakeServers } from './fake-server';
import { startRedis, stopAllRedis, type RedisServer } from './redis-server';

/** Where the shared server listens. */
export interface SharedServer {
  /** `[host, port]`, or a unix socket path for a `unix://` REDIS_URL. */
  address: [string, number] | string;
  /** A redis:// (or rediss://, unix://) URL of the server, with credentials when REDIS_URL had them. */
  url: string;
  /** The started process; undefined when REDIS_URL points at an existing server. */
  server?: RedisServer;
}

let shared: Promise<SharedServer> | undefined;

/**
 * The server shared by the integration tests: REDIS_URL when set, otherwise a redis-server
 * started on first call and stopped after the whole run. Do not stop or flush it from a test.
 */
export function sharedServer(): Promise<SharedServer> {
  shared ??= start().catch((err: unknown) => {
    shared = undefined; // let the next test try again and report its own failure
    throw err;
  });
  return shared;
}

async function start(): Promise<SharedServer> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { address: addressOf(fromEnv), url: fromEnv };
  const server = await startRedis();
  return { address: [server.host, server.port], url: server.url, server };
}

/** The address part of a redis://, rediss:// or unix:// URL. */
function addressOf(url: string): [string, number] | string {
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') return decodeURIComponent(parsed.pathname);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must be a redis://, rediss:// or unix:// URL, got ${url}`);
  }
  // new URL keeps the brackets of an IPv6 host, which net.connect does not want.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return [host, parsed.port ? Number(parsed.port) : 6379];
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    const started = shared && (await shared.catch(() => undefined));
    shared = undefined;
    await Promise.all([started?.server?.stop(), stopSharedCluster()]);
    await Promise.all([stopAllRedis(), closeAllFakeServers()]);
  },
};
