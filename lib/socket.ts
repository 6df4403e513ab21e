/**
 * The socket under a connection: opening it (TCP, unix socket or TLS, within the connect timeout),
 * reading into reusable blocks instead of one new Buffer per read, and writing the commands of one
 * event-loop turn at once, honouring backpressure.
 *
 * @module
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import createDebug from 'debug';
import { armDeadline } from './deadline';
import { ConnectionClosedError } from './errors';
import { type ConnectionConfig, describeAddress } from './options';
import { type CommandName, CommandWriter } from './protocol/encoder';

const debug = createDebug('redmux:connection');

/** Size of the blocks the socket reads into. */
const READ_BLOCK_SIZE = 64 * 1024;
/** A block with less room than this left is retired: reads into a sliver would take more calls. */
const MIN_READ_ROOM = 16 * 1024;
/**
 * TCP keepalive probes start after this much idle time (the OS default is often 2 hours). The
 * health check and the stall detector find dead peers sooner; keepalive is what is left for a
 * connection they exempt (a command blocking forever, MONITOR) and it keeps NAT entries alive.
 */
export const KEEPALIVE_DELAY = 30_000;

/**
 * Where a socket from {@link openSocket} delivers what it reads. Bytes that arrive before a
 * receiver is attached (a server may speak first, refusing a client over its limit) are kept and
 * handed over on {@link attach}.
 */
export class Inbox {
  #receiver: ((chunk: Buffer) => void) | null = null;
  #early: Buffer[] = [];

  /** Sends every chunk read from now on (and those read so far) to `receiver`. */
  attach(receiver: (chunk: Buffer) => void): void {
    this.#receiver = receiver;
    const early = this.#early;
    this.#early = [];
    for (const chunk of early) receiver(chunk);
  }

  /** @internal Called by the socket for each read. */
  deliver(chunk: Buffer): void {
    if (this.#receiver !== null) this.#receiver(chunk);
    else this.#early.push(chunk);
  }
}

/**
 * The blocks a socket reads into (Node's `onread` option): each read lands after the previous one
 * in the same block, and what was read is never overwritten, so the chunks handed to the reader
 * stay valid for as long as it keeps them (a reply split over several reads). This spares Node's
 * per-read Buffer and the stream machinery around it.
 */
class ReadBlocks {
  #block = Buffer.allocUnsafeSlow(READ_BLOCK_SIZE);
  #used = 0;

  constructor(readonly inbox: Inbox) {}

  /** Node asks where the next read goes. */
  readonly next = (): Buffer => {
    if (this.#block.length - this.#used < MIN_READ_ROOM) {
      this.#block = Buffer.allocUnsafeSlow(READ_BLOCK_SIZE);
      this.#used = 0;
    }
    return this.#block.subarray(this.#used);
  };

  /** Node read `size` bytes into the start of `target` (the last {@link next}); true: read on. */
  readonly onRead = (size: number, target: Uint8Array): boolean => {
    this.#used += size;
    this.inbox.deliver((target as Buffer).subarray(0, size));
    return true;
  };
}

/**
 * The write side of a socket: commands are encoded as they come and written together once per
 * event-loop turn (one write, or one corked series of writes); while the socket pushes back, they
 * are kept and written after 'drain'.
 */
export class Outbox {
  readonly #socket: net.Socket;
  readonly #out = new CommandWriter();
  #flushScheduled = false;
  readonly #flushNow = (): void => this.#flush();
  #waitingDrain = false;
  /** Commands encoded since the last write: never handed to the socket, so they cannot have run. */
  #unwritten = 0;

  /** Flush with setImmediate instead of process.nextTick (see ConnectionConfig.writeAfterIo). */
  readonly #afterIo: boolean;

  constructor(socket: net.Socket, afterIo = false) {
    this.#socket = socket;
    this.#afterIo = afterIo;
  }

  /** Encodes one command for the next flush. All or nothing: a bad argument throws, keeping nothing. */
  write(name: CommandName, args: readonly unknown[]): void {
    this.#out.write(name, args);
    this.#unwritten++;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      if (this.#afterIo) setImmediate(this.#flushNow);
      else process.nextTick(this.#flushNow);
    }
  }

  /** How many of the last commands were never handed to the socket (the newest ones). */
  get unwritten(): number {
    return this.#unwritten;
  }

  /** Drops whatever was not written yet (the connection is closing). */
  clear(): void {
    this.#out.clear();
    this.#unwritten = 0;
  }

  /** Writes everything encoded since the last flush, unless the socket asked us to wait. */
  #flush(): void {
    this.#flushScheduled = false;
    const socket = this.#socket;
    if (this.#waitingDrain || socket.destroyed || this.#out.empty) return;
    const chunks = this.#out.take();
    this.#unwritten = 0;
    let ok = true;
    if (chunks.length === 1) {
      ok = socket.write(chunks[0] as Buffer);
    } else {
      socket.cork();
      for (const chunk of chunks) ok = socket.write(chunk);
      socket.uncork();
    }
    if (!ok) {
      // Backpressure: keep accepting commands into the writer, write them once the socket drained.
      this.#waitingDrain = true;
      socket.once('drain', () => {
        this.#waitingDrain = false;
        this.#flush();
      });
    }
  }
}

/**
 * Opens the TCP, TLS or unix socket, within the connect timeout and until `signal` aborts (then
 * rejecting with its reason); what it reads goes to `inbox`.
 */
export function openSocket(
  config: ConnectionConfig,
  inbox: Inbox,
  signal?: AbortSignal,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const label = describeAddress(config);
    debug('%s: connecting', label);
    let socket: net.Socket;
    let event = 'connect';
    const target =
      config.path !== undefined
        ? { path: config.path }
        : { host: config.host, port: config.port ?? 6379 };
    if (config.tls !== null) {
      // TLS keeps Node's stream: its types and documentation do not offer `onread`.
      socket = tls.connect({ ...config.tls, ...target });
      socket.on('data', (chunk: Buffer) => inbox.deliver(chunk));
      event = 'secureConnect';
    } else {
      const blocks = new ReadBlocks(inbox);
      socket = net.connect({ ...target, onread: { buffer: blocks.next, callback: blocks.onRead } });
    }
    const message = `Connecting to ${label} timed out after ${config.timeout} ms`;
    const disarm = armDeadline(config.timeout, signal, message, (error) => {
      socket.destroy();
      reject(error);
    });
    const onError = (err: Error): void => {
      disarm();
      socket.destroy();
      reject(
        new ConnectionClosedError(
          `Could not connect to ${label}: ${err.message}${hint(config, err)}`,
          {
            cause: err,
          },
        ),
      );
    };
    socket.once('error', onError);
    socket.once(event, () => {
      disarm();
      socket.off('error', onError);
      // Commands are coalesced per event-loop turn already: Nagle would only add latency.
      socket.setNoDelay(true);
      socket.setKeepAlive(true, KEEPALIVE_DELAY);
      resolve(socket);
    });
  });
}

/**
 * For a socket path that is a bare word (`'localhost'`, `'redis'`) and does not exist: most likely
 * a host name meant for TCP, so say how to write that.
 */
function hint(config: ConnectionConfig, err: Error): string {
  const path = config.path;
  if (path === undefined || path.includes('/') || (err as { code?: unknown }).code !== 'ENOENT') {
    return '';
  }
  return ` (a string address without "://" is a unix socket path unless it is "host:port"; for TCP write ['${path}', 6379], '${path}:6379' or redis://${path}:6379)`;
}
