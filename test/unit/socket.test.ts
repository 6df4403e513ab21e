import { expect } from 'chai';
import { Inbox } from '../../lib/socket';

describe('Inbox', () => {
  it('keeps what arrives before a receiver is attached and hands it over first, in order', () => {
    const inbox = new Inbox();
    inbox.deliver(Buffer.from('-ERR max'));
    inbox.deliver(Buffer.from(' clients\r\n'));
    const got: string[] = [];
    inbox.attach((chunk) => got.push(chunk.toString()));
    inbox.deliver(Buffer.from('+OK\r\n'));
    expect(got).to.deep.equal(['-ERR max', ' clients\r\n', '+OK\r\n']);
  });
});
