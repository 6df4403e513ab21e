// A tiny fake RESP server, only for faults a real redis-server cannot produce: garbage bytes, a
// half-sent reply, a stalled or abruptly closed socket. Everything else is tested against a real
// server (see redis-server.ts).
//
//   const fake = await startFakeServer((socket) => socket.write('$5\r\nhel')); // half a reply
//   // ... connect to [fake.host, fake.port], then inspect fake.received
//   await fake.close();
import * as net from 'node:net';

/** A listening fake server; see {@link startFakeServer}. */
export interface FakeServer {
  /** The port it listens on (picked by the OS). */
  port: number;
  /** Always `'127.0.0.1'`. */
  host: string;
  /** Every accepted client socket, in order of connection (closed ones included). */
  connections: net.Socket[];
  /** Everything clients sent, one Buffer per chunk as it arrived, all connections interleaved. */
  received: Buffer[];
  /** Destroys every client socket and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Fake servers not closed yet, so that {@link closeAllFakeServers} can clean up after careless tests. */
const openFakeServers = new Set<FakeServer>();

/**
 * Listens on a free port of 127.0.0.1 and calls `onData` with each chunk a client sends. The
 * handler decides what (if anything) to answer: `socket.write(...)`, `socket.destroy()`, or
 * nothing at all to simulate a stalled server.
 */
export async function startFakeServer(
  onData: (socket: net.Socket, data: Buffer) => void,
): Promise<FakeServer> {
  const connections: net.Socket[] = [];
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    connections.push(socket);
    // A client that resets the connection must not crash the test run.
    socket.on('error', () => {});
    socket.on('data', (data) => {
      received.push(data);
      onData(socket, data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  let closing: Promise<void> | undefined;
  const fake: FakeServer = {
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    connections,
    received,
    close() {
      closing ??= new Promise<void>((resolve) => {
        openFakeServers.delete(fake);
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      });
      return closing;
    },
  };
  openFakeServers.add(fake);
  return fake;
}

/** Closes every fake server that is still open (for root hooks). */
export async function closeAllFakeServers(): Promise<void> {
  await Promise.all([...openFakeServers].map((fake) => fake.close()));
}
