// Faults a real redis-server cannot produce, through a tiny fake RESP server.
import { expect } from 'chai';
import * as net from 'node:net';
import {
  ConnectionClosedError,
  createConnection,
  ProtocolError,
  type ReaderLike,
  TimeoutError,
} from '../../lib';
import { startFakeServer } from '../helpers/fake-server';
import { eventually, rejectionOf } from '../helpers/util';

/** Answers PING with +PONG and hands anything else to `other`. */
function answering(other: (socket: net.Socket, data: Buffer) => void) {
  return (socket: net.Socket, data: Buffer) => {
    if (data.toString() === '*1\r\n$4\r\nPING\r\n') socket.write('+PONG\r\n');
    else other(socket, data);
  };
}

describe('RedisConnection faults', () => {
  it('closes with a ProtocolError on garbage and rejects every pending command with it', async () => {
    const fake = await startFakeServer(answering((socket) => socket.write('@garbage\r\n')));
    const conn = await createConnection([fake.host, fake.port]);
    const first = conn.execute('GET', 'a');
    const second = conn.execute('GET', 'b');
    const err = await rejectionOf(first);
    expect(err).to.be.instanceOf(ProtocolError);
    expect(err.message).to.include('"@"');
    expect(await rejectionOf(second)).to.equal(err);
    expect(conn.closed).to.equal(true);
    await conn.waitClosed();
    await fake.close();
  });

  it('rejects a command whose reply was half sent when the server goes away', async () => {
    const fake = await startFakeServer((socket) => {
      socket.write('$10\r\nhalf');
      setTimeout(() => socket.destroy(), 20);
    });
    const conn = await createConnection([fake.host, fake.port]);
    const err = await rejectionOf(conn.execute('GET', 'a'));
    expect(err).to.be.instanceOf(ConnectionClosedError);
    expect(conn.closed).to.equal(true);
    await fake.close();
  });

  it('closes with a ProtocolError when a reply arrives that no command asked for', async () => {
    const fake = await startFakeServer((socket) => socket.write('+OK\r\n+EXTRA\r\n'));
    const conn = await createConnection([fake.host, fake.port]);
    expect(await conn.execute('SET', 'a', 'b')).to.equal('OK');
    await conn.waitClosed();
    expect(conn.closed).to.equal(true);
    expect(await rejectionOf(conn.execute('PING'))).to.be.instanceOf(ConnectionClosedError);
    await fake.close();
  });

  it('sends nothing for a command with a bad argument, and the good ones around it still go', async () => {
    const fake = await startFakeServer((socket, data) => {
      const commands = data.toString().split('*').length - 1;
      socket.write('+OK\r\n'.repeat(commands));
    });
    const conn = await createConnection([fake.host, fake.port]);
    const good = conn.execute('SET', 'a', '1');
    const bad = conn.execute('SET', 'a', undefined as unknown as string);
    const alsoGood = conn.execute('SET', 'b', '2');
    expect(await rejectionOf(bad)).to.be.instanceOf(TypeError);
    expect(await Promise.all([good, alsoGood])).to.deep.equal(['OK', 'OK']);
    expect(Buffer.concat(fake.received).toString()).to.equal(
      '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n',
    );
    conn.close();
    await fake.close();
  });

  it('coalesces the commands of one event-loop turn into one write', async () => {
    const fake = await startFakeServer((socket, data) => {
      socket.write('+OK\r\n'.repeat(data.toString().split('*3\r\n').length - 1));
    });
    const conn = await createConnection([fake.host, fake.port]);
    await Promise.all(Array.from({ length: 100 }, (_, i) => conn.execute('SET', 'k', i)));
    // One write of 100 commands may still arrive in more than one TCP read, but never in 100.
    expect(fake.received.length).to.be.lessThan(5);
    conn.close();
    await fake.close();
  });

  it('delivers a RESP3 false reply instead of waiting for more bytes', async () => {
    const fake = await startFakeServer((socket) => socket.write('#f\r\n#t\r\n+OK\r\n'));
    const conn = await createConnection([fake.host, fake.port]);
    const replies = [conn.execute('A'), conn.execute('B'), conn.execute('C')];
    expect(await Promise.all(replies)).to.deep.equal([false, true, 'OK']);
    conn.close();
    await fake.close();
  });

  it('waits for drain when the socket pushes back, while still accepting commands', async () => {
    const fake = await startFakeServer(() => {});
    const conn = await createConnection([fake.host, fake.port]);
    await eventually(async () => fake.connections.length === 1);
    const server = fake.connections[0] as net.Socket;
    server.pause(); // the server stops reading: the client's socket buffer fills up

    const writes: number[] = [];
    const write = net.Socket.prototype.write;
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === fake.port) writes.push(Date.now());
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof write;
    try {
      void conn.execute('SET', 'big', Buffer.alloc(32 << 20)).catch(() => {});
      await new Promise((resolve) => setImmediate(resolve));
      const afterBig = writes.length;
      expect(afterBig).to.be.greaterThan(0);
      // More commands over several event-loop turns: accepted, but nothing is written yet.
      const small: Array<Promise<unknown>> = [];
      for (let turn = 0; turn < 5; turn++) {
        small.push(conn.execute('PING').catch(() => 'closed'));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(writes.length).to.equal(afterBig);
      server.resume();
      await eventually(async () => writes.length > afterBig);
      await eventually(async () => Buffer.concat(fake.received).includes('*1\r\n$4\r\nPING\r\n'));
      const sent = Buffer.concat(fake.received);
      expect(sent.length).to.be.greaterThan(32 << 20);
      expect(sent.toString('latin1').split('*1\r\n$4\r\nPING\r\n').length - 1).to.equal(5);
    } finally {
      net.Socket.prototype.write = write;
      conn.close();
      await fake.close();
    }
  });

  it('rejects with TimeoutError when the server never answers the handshake', async () => {
    const fake = await startFakeServer(() => {
      /* a stalled server: accepts, never replies */
    });
    const started = Date.now();
    const err = await rejectionOf(
      createConnection([fake.host, fake.port], { password: 's3cret', timeout: 150 }),
    );
    expect(err).to.be.instanceOf(TimeoutError);
    expect(err.message).not.to.include('s3cret');
    expect(Date.now() - started).to.be.lessThan(2000);
    // The half-open connection was closed, not leaked.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.connections.every((socket) => socket.destroyed || socket.readableEnded)).to.equal(
      true,
    );
    await fake.close();
  });

  it('rejects with ConnectionClosedError when nothing listens', async () => {
    const fake = await startFakeServer(() => {});
    const { host, port } = fake;
    await fake.close();
    const err = await rejectionOf(createConnection([host, port]));
    expect(err).to.be.instanceOf(ConnectionClosedError);
  });

  it('closes the connection when a plugged-in parser throws', async () => {
    class Broken implements ReaderLike {
      feed(): void {
        throw new Error('parser exploded');
      }
      gets(): false {
        return false;
      }
    }
    const fake = await startFakeServer((socket) => socket.write('+OK\r\n'));
    const conn = await createConnection([fake.host, fake.port], { parser: Broken });
    const err = await rejectionOf(conn.execute('PING'));
    expect(err).to.be.instanceOf(ProtocolError);
    expect(err.message).to.include('parser exploded');
    expect(conn.closed).to.equal(true);
    await fake.close();
  });
});
