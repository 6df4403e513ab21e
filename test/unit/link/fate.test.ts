import { expect } from 'chai';
import { errorPrefix, NOT_RUN, resendAfterLoss, retryableReply } from '../../../lib/link/fate';

describe('link/fate', () => {
  describe('retryableReply()', () => {
    it('lets any client retry replies that prove the command did not run', () => {
      for (const message of [
        'LOADING Redis is loading the dataset in memory',
        'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no',
        'TRYAGAIN Multiple keys request during rehashing of slot',
      ]) {
        expect(retryableReply(message, 'any'), message).to.equal(true);
      }
    });

    it('lets only a master or cluster client retry READONLY', () => {
      const message = "READONLY You can't write against a read only replica.";
      expect(retryableReply(message, 'master')).to.equal(true);
      expect(retryableReply(message, 'cluster')).to.equal(true);
      expect(retryableReply(message, 'any')).to.equal(false);
    });

    it('lets only a cluster client follow MOVED, ASK and CLUSTERDOWN', () => {
      for (const message of [
        'MOVED 3999 127.0.0.1:6381',
        'ASK 3999 127.0.0.1:6381',
        'CLUSTERDOWN The cluster is down',
      ]) {
        expect(retryableReply(message, 'cluster'), message).to.equal(true);
        expect(retryableReply(message, 'master'), message).to.equal(false);
      }
    });

    it('never retries an error that may follow a run command', () => {
      for (const message of [
        'ERR value is not an integer or out of range',
        'WRONGTYPE Operation against a key holding the wrong kind of value',
        'BUSY Redis is busy running a script',
        'OOM command not allowed when used memory > maxmemory',
        'EXECABORT Transaction discarded because of previous errors.',
        'NOSCRIPT No matching script',
        'LOADINGX not a real prefix',
      ]) {
        expect(retryableReply(message, 'cluster'), message).to.equal(false);
      }
    });

    it('lists every entry with a reason', () => {
      for (const [prefix, entry] of NOT_RUN) {
        expect(prefix).to.match(/^[A-Z]+$/);
        expect(entry.why).to.have.length.greaterThan(10);
        expect(entry.by.length).to.be.greaterThan(0);
      }
    });
  });

  describe('errorPrefix()', () => {
    it('is the first word of the message', () => {
      expect(errorPrefix('MOVED 1 h:1')).to.equal('MOVED');
      expect(errorPrefix('LOADING')).to.equal('LOADING');
    });
  });

  describe('resendAfterLoss()', () => {
    it('resends a queued command: it never reached a socket', () => {
      expect(resendAfterLoss('queued', false, 0)).to.equal(true);
    });

    it('never resends a written command without the call’s opt-in', () => {
      expect(resendAfterLoss('written', false, 0)).to.equal(false);
    });

    it('resends a written command that opted in, once', () => {
      expect(resendAfterLoss('written', true, 0)).to.equal(true);
      expect(resendAfterLoss('written', true, 1)).to.equal(false);
    });

    it('never resends a settled command', () => {
      expect(resendAfterLoss('settled', true, 0)).to.equal(false);
    });
  });
});
