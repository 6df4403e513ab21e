// A small TCP proxy in front of a real redis-server, for the network faults a server cannot
// produce by itself: a link that goes silent both ways (stall), every socket cut at once, a cut in
// the middle of a reply. Everything else about the traffic is the real server's.
//
//   const proxy = await startFaultProxy(server.host, server.port);
//   const redis = await createRedis(proxy.url, { reconnect: true });
//   proxy.stall();            // nothing moves either way; new connections are accepted, never answered
//   proxy.resume();           // what was held back flows again
//   proxy.cut();              // every client socket destroyed now
//   await proxy.cutMidReply(); // half of the next server→client chunk, then both sockets destroyed
//   await proxy.close();
import * as net from 'node:net';

/** A listening proxy; see {@link startFaultProxy}. */
export interface FaultProxy {
  /** Always `'127.0.0.1'`. */
  host: string;
  /** The port it listens on (picked by the OS). */
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** How many client connections it has accepted so far. */
  readonly accepted: number;
  /** How many client connections are open now. */
  readonly open: number;
  /**
   * From now on nothing is forwarded, either way, on any connection: sockets stay open, bytes are
   * held back (reading pauses, so the kernel buffers push back), and a new connection is accepted
   * but its server side is not even opened until {@link FaultProxy.resume}.
   */
  stall(): void;
  /** Ends a stall: held-back bytes flow, in order, and held connections reach the server. */
  resume(): void;
  /** Destroys every client socket (and its server side) now, as a network reset would. */
  cut(): void;
  /**
   * Arms a cut in the middle of a reply: the next chunk the server sends on any connection is
   * forwarded only half (at least one byte is kept back), then that connection's both sockets are
   * destroyed. Resolves once the cut happened.
   */
  cutMidReply(): Promise<void>;
  /** Destroys every socket and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** One client connection and its server side. */
interface Pair {
  client: net.Socket;
  server: net.Socket | undefined;
  /** Bytes read while stalled, each to be written to `to` on resume(), in order. */
  held: Array<{ to: 'server' | 'client'; data: Buffer }>;
  closed: boolean;
}

/** Proxies not closed yet, so {@link closeAllFaultProxies} can clean up after a failed test. */
const openProxies = new Set<FaultProxy>();

/** Starts a proxy on a free port of 127.0.0.1 that forwards every connection to `host:port`. */
export async function startFaultProxy(host: string, port: number): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let accepted = 0;
  let stalled = false;
  let armedCut: (() => void) | undefined;

  const destroy = (pair: Pair): void => {
    if (pair.closed) return;
    pair.closed = true;
    pairs.delete(pair);
    pair.client.destroy();
    pair.server?.destroy();
  };

  /** Bytes from the server for this pair's client: where a mid-reply cut happens. */
  const toClient = (pair: Pair, data: Buffer): void => {
    const cut = armedCut;
    if (cut === undefined) {
      pair.client.write(data);
      return;
    }
    armedCut = undefined;
    const half = Math.floor(data.length / 2);
    // Destroy only once the half is flushed to the kernel, so the client really reads a torn reply.
    if (half > 0) pair.client.write(data.subarray(0, half), () => destroy(pair));
    else destroy(pair);
    cut();
  };

  const deliver = (pair: Pair, to: 'server' | 'client', data: Buffer): void => {
    if (pair.closed) return;
    if (stalled || (to === 'server' && pair.server === undefined)) {
      pair.held.push({ to, data });
      return;
    }
    if (to === 'server') pair.server?.write(data);
    else toClient(pair, data);
  };

  const openServerSide = (pair: Pair): void => {
    const upstream = net.connect(port, host);
    pair.server = upstream;
    upstream.on('error', () => destroy(pair));
    upstream.on('close', () => destroy(pair));
    upstream.on('data', (data: Buffer) => {
      if (stalled) upstream.pause();
      deliver(pair, 'client', data);
    });
  };

  const flush = (pair: Pair): void => {
    if (pair.server === undefined) openServerSide(pair);
    const held = pair.held.splice(0);
    for (const { to, data } of held) deliver(pair, to, data);
    pair.client.resume();
    pair.server?.resume();
  };

  const listener = net.createServer((client) => {
    accepted++;
    const pair: Pair = { client, server: undefined, held: [], closed: false };
    pairs.add(pair);
    // A client that resets its connection must not crash the test run.
    client.on('error', () => destroy(pair));
    client.on('close', () => destroy(pair));
    client.on('data', (data: Buffer) => {
      if (stalled) client.pause();
      deliver(pair, 'server', data);
    });
    if (stalled) client.pause();
    else openServerSide(pair);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const listenPort = (listener.address() as net.AddressInfo).port;

  let closing: Promise<void> | undefined;
  const proxy: FaultProxy = {
    host: '127.0.0.1',
    port: listenPort,
    url: `redis://127.0.0.1:${listenPort}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    stall() {
      stalled = true;
      for (const pair of pairs) {
        pair.client.pause();
        pair.server?.pause();
      }
    },
    resume() {
      stalled = false;
      for (const pair of [...pairs]) flush(pair);
    },
    cut() {
      for (const pair of [...pairs]) destroy(pair);
    },
    cutMidReply() {
      return new Promise<void>((resolve) => {
        armedCut = resolve;
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        openProxies.delete(proxy);
        armedCut = undefined;
        listener.close(() => resolve());
        for (const pair of [...pairs]) destroy(pair);
      });
      return closing;
    },
  };
  openProxies.add(proxy);
  return proxy;
}

/** Closes every proxy that is still open (for a suite's `after` hook). */
export async function closeAllFaultProxies(): Promise<void> {
  await Promise.all([...openProxies].map((proxy) => proxy.close()));
}
