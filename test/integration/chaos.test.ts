// Chaos under load (issue 12): twenty callers run INCR and RPUSH traffic through a reconnecting
// client while a fault hits it again and again, and every outcome is counted. Whatever the fault,
// the client must tell the truth:
//   - every promise settles (0 unsettled once the client has recovered);
//   - acknowledged ≤ final counter ≤ acknowledged + maybeExecuted rejections (0 lost, 0 resent);
//   - each pushed value is in the list at most once, every acknowledged one is there, and none
//     whose rejection said maybeExecuted: false is (a command that "was not sent" did not run);
//   - commands after the recovery succeed.
// Real servers for what a server can do (SIGKILL, CLIENT KILL); the fault proxy for the network
// (sockets cut, a reply torn in half, a link that goes silent).
import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import {
  ConnectionLostError,
  createRedis,
  QueueFullError,
  type Redis,
  type RedisOptions,
  TimeoutError,
} from '../../lib';
import { closeAllFaultProxies, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually } from '../helpers/util';

const COUNTER = 'chaos:counter';
const LIST = 'chaos:list';
const CALLERS = 20;
/**
 * Before each fault and after the last one, traffic runs at least this long and until this many
 * more INCRs were acknowledged (so it really flows): about 1–2 s of traffic per test.
 */
const PHASE_MS = 300;
const PROGRESS = 200;

/** What became of one command. */
type Outcome = 'acknowledged' | 'maybe' | 'notRun';

/** The outcome a rejection reports; undefined when it reports none (a bug: the test fails). */
function outcomeOf(err: unknown): Outcome | undefined {
  if (err instanceof ConnectionLostError) return err.maybeExecuted ? 'maybe' : 'notRun';
  if (err instanceof TimeoutError || err instanceof QueueFullError) {
    return err.maybeExecuted === false ? 'notRun' : undefined;
  }
  // LOADING (a server still loading its dataset after a restart) is retried by the client: it
  // never reaches the caller, so it is not an outcome here.
  return undefined;
}

/** Fails the test, rather than hanging it, when `promise` does not settle within `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `redmux:lost` as published by the Link. */
interface Lost {
  address: string;
  written: number;
  cause: Error;
}

/** The next `redmux:lost` event of the client connected to `address` (subscribe before the fault). */
function nextLoss(address: string): Promise<Lost> {
  return new Promise((resolve) => {
    const listener = (message: unknown): void => {
      const lost = message as Lost;
      if (lost.address !== address) return;
      diagnostics.unsubscribe('redmux:lost', listener);
      resolve(lost);
    };
    diagnostics.subscribe('redmux:lost', listener);
  });
}

/**
 * CALLERS loops, each sending an INCR and an RPUSH of a value no other command pushes, awaiting
 * both, and recording the outcome of each. Keeps no promise it does not wait for.
 */
class Traffic {
  readonly incr: Record<Outcome, number> = { acknowledged: 0, maybe: 0, notRun: 0 };
  /** Every value pushed, with the outcome of its RPUSH. */
  readonly pushed = new Map<string, Outcome>();
  /** Rejections that say nothing about whether the command ran. */
  readonly unexpected: unknown[] = [];
  #inFlight = 0;
  #running = true;
  #gate: { promise: Promise<void>; open: () => void } | undefined;
  readonly #loops: Array<Promise<void>>;

  constructor(private readonly redis: Redis<string>) {
    this.#loops = Array.from({ length: CALLERS }, (_, id) => this.#loop(id));
  }

  /** Commands sent and not settled yet. */
  get unsettled(): number {
    return this.#inFlight;
  }

  /** Resolves once `count` more INCRs were acknowledged and PHASE_MS passed. */
  async progress(count: number, what: string): Promise<void> {
    const target = this.incr.acknowledged + count;
    const until = Date.now() + PHASE_MS;
    const done = async (): Promise<boolean> =>
      this.incr.acknowledged >= target && Date.now() >= until;
    await within(eventually(done, 15_000), `${what}: ${count} INCRs acknowledged`, 15_000);
  }

  /** Holds every caller before its next command and resolves once nothing is in flight. */
  async pause(): Promise<void> {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#gate = { promise, open };
    await eventually(async () => this.#inFlight === 0, 10_000);
  }

  /** Lets the callers go on after {@link Traffic.pause}. */
  unpause(): void {
    this.#gate?.open();
    this.#gate = undefined;
  }

  /** Stops the callers and waits (bounded) for what they sent to settle; see `unsettled`. */
  async stop(): Promise<void> {
    this.#running = false;
    this.unpause();
    await within(Promise.all(this.#loops), 'every caller done').catch(() => undefined);
  }

  async #loop(id: number): Promise<void> {
    for (let n = 0; this.#running; n++) {
      if (this.#gate !== undefined) await this.#gate.promise;
      const value = `${id}:${n}`;
      const [incr, push] = await Promise.all([
        this.#settle(this.redis.incr(COUNTER)),
        this.#settle(this.redis.rpush(LIST, value)),
      ]);
      this.incr[incr]++;
      this.pushed.set(value, push);
      // A rejection may come at once: give the event loop a turn rather than spin.
      if (incr !== 'acknowledged' || push !== 'acknowledged') {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  #settle(command: Promise<unknown>): Promise<Outcome> {
    this.#inFlight++;
    return command.then(
      () => {
        this.#inFlight--;
        return 'acknowledged';
      },
      (err: unknown) => {
        this.#inFlight--;
        const outcome = outcomeOf(err);
        if (outcome !== undefined) return outcome;
        this.unexpected.push(err);
        return 'maybe'; // counted as the loosest bound; the test fails on `unexpected` anyway
      },
    );
  }
}

describe('chaos: INCR and RPUSH traffic through a reconnecting client under repeated faults', function () {
  this.timeout(40_000);
  let server: RedisServer;
  /** Connected over the unix socket, so its own losses never look like the traffic client's. */
  let admin: Redis<string>;
  const opened: Array<Redis<string>> = [];

  async function start(args: string[] = []): Promise<void> {
    server = await startRedis({ args });
    admin = await createRedis(`unix://${server.unixSocket}`, {
      encoding: 'utf8',
      reconnect: { base: 20, cap: 100 },
    });
    opened.push(admin);
  }

  async function client(url: string, options: RedisOptions = {}): Promise<Redis<string>> {
    const redis = await createRedis(url, {
      reconnect: { base: 20, cap: 100 },
      ...options,
      encoding: 'utf8',
    });
    opened.push(redis);
    return redis;
  }

  afterEach(async () => {
    for (const redis of opened.splice(0)) redis.close();
    await closeAllFaultProxies();
    await server.stop();
  });

  /**
   * Applies a fault `times` times while `traffic` runs, each after PROGRESS acknowledged INCRs:
   * `apply` causes the loss of the client at `address`, `recover` (if any) undoes the fault once
   * the loss was seen. Resolves with each loss's event once traffic flows again after the last.
   */
  async function repeatFault(
    traffic: Traffic,
    address: string,
    times: number,
    apply: () => Promise<void> | void,
    recover?: () => Promise<void> | void,
  ): Promise<Lost[]> {
    const losses: Lost[] = [];
    for (let i = 1; i <= times; i++) {
      await traffic.progress(PROGRESS, `before fault ${i}`);
      const lost = nextLoss(address);
      await apply();
      losses.push(await within(lost, `fault ${i}: the client saw the loss`));
      await recover?.();
    }
    await traffic.progress(PROGRESS, 'after the last fault');
    return losses;
  }

  /** Stops `traffic` and checks every count against what the server holds. */
  async function expectTruthful(traffic: Traffic, redis: Redis<string>): Promise<void> {
    await traffic.stop();
    expect(traffic.unsettled, 'commands never settled').to.equal(0);
    expect(traffic.unexpected, 'rejections without a fate').to.deep.equal([]);

    // Each pushed value is unique, so the list tells exactly what ran; then the counter's bounds.
    const list = await admin.lrange(LIST, 0, -1);
    const seen = new Set<string>();
    const duplicates = list.filter((value) => seen.has(value) || !seen.add(value));
    expect(duplicates, 'values pushed twice (a resent RPUSH)').to.deep.equal([]);
    const fates = [...traffic.pushed];
    const missing = fates.filter(([value, fate]) => fate === 'acknowledged' && !seen.has(value));
    expect(missing, 'acknowledged RPUSHes not in the list').to.deep.equal([]);
    const ranAnyway = list.filter((value) => (traffic.pushed.get(value) ?? 'notRun') === 'notRun');
    expect(ranAnyway, 'values in the list whose RPUSH said it was not sent').to.deep.equal([]);

    const { acknowledged, maybe } = traffic.incr;
    const final = Number(await admin.get(COUNTER));
    expect(final, 'no acknowledged INCR lost').to.be.at.least(acknowledged);
    expect(final, 'no INCR resent').to.be.at.most(acknowledged + maybe);

    const pushMaybe = fates.filter(([, fate]) => fate === 'maybe').length;
    expect(maybe + pushMaybe, 'the faults hit commands in flight').to.be.at.least(1);

    // Recovered: the next commands just work.
    expect(await redis.incr('chaos:after')).to.equal(1);
    expect(await redis.get('chaos:after')).to.equal('1');
    expect(redis.state).to.equal('ready');
  }

  it('SIGKILL and restart of the server, 3 times: 0 unsettled, 0 lost, 0 duplicates', async () => {
    // Appended and fsynced before each reply, so an acknowledged write survives the SIGKILL.
    await start(['--appendonly', 'yes', '--appendfsync', 'always']);
    const redis = await client(server.url);
    const traffic = new Traffic(redis);
    const losses = await repeatFault(
      traffic,
      `${server.host}:${server.port}`,
      3,
      () => server.kill(),
      () => server.restart(),
    );
    expect(losses).to.have.length(3);
    await expectTruthful(traffic, redis);
  });

  it('CLIENT KILL TYPE normal from another client, 3 times: 0 unsettled, 0 lost, 0 duplicates', async () => {
    await start();
    const redis = await client(server.url);
    const traffic = new Traffic(redis);
    const losses = await repeatFault(traffic, `${server.host}:${server.port}`, 3, async () => {
      // SKIPME is yes by default: admin survives, every other normal client is killed.
      expect(await admin.call('CLIENT', 'KILL', 'TYPE', 'normal')).to.be.at.least(1);
    });
    expect(losses).to.have.length(3);
    await expectTruthful(traffic, redis);
  });

  describe('through the fault proxy', () => {
    let proxy: FaultProxy;
    let address: string;

    async function startProxied(options: RedisOptions = {}): Promise<Redis<string>> {
      await start();
      proxy = await startFaultProxy(server.host, server.port);
      address = `${proxy.host}:${proxy.port}`;
      return client(proxy.url, options);
    }

    it('every socket cut at once, 3 times: 0 unsettled, 0 lost, 0 duplicates', async () => {
      const redis = await startProxied();
      const traffic = new Traffic(redis);
      const losses = await repeatFault(traffic, address, 3, () => proxy.cut());
      expect(losses).to.have.length(3);
      expect(proxy.accepted, 'one connection per loss, and the first').to.be.at.least(4);
      await expectTruthful(traffic, redis);
    });

    it('a reply cut in the middle, 3 times: 0 unsettled, 0 lost, 0 duplicates', async () => {
      const redis = await startProxied();
      const traffic = new Traffic(redis);
      const losses = await repeatFault(traffic, address, 3, () => proxy.cutMidReply());
      // Each cut tore the replies of commands that had run: those say maybeExecuted.
      for (const lost of losses) expect(lost.written).to.be.at.least(1);
      await expectTruthful(traffic, redis);
    });

    it('a stalled link ended by the liveness checks, 3 times: 0 unsettled, 0 lost, 0 duplicates', async () => {
      const redis = await startProxied({
        healthCheckInterval: 50,
        healthCheckTimeout: 200,
        stallTimeout: 300,
      });
      const traffic = new Traffic(redis);
      // Under traffic commands are pending, so the stall detector is what notices the silence.
      const busy = await repeatFault(
        traffic,
        address,
        2,
        () => proxy.stall(),
        () => proxy.resume(),
      );
      for (const lost of busy) expect(lost.cause.message).to.match(/stalled: \d+ command/);

      // Idle, the health check is: its PING gets no PONG. Bytes held by the stall reach the
      // server on resume(), so what was written then may really run: it must say maybeExecuted.
      await traffic.pause();
      const lost = nextLoss(address);
      proxy.stall();
      const idle = await within(lost, 'the idle client saw the loss');
      expect(idle.cause.message).to.include('health check failed: no reply to PING within 200 ms');
      proxy.resume();
      traffic.unpause();
      await traffic.progress(PROGRESS, 'after the idle stall');
      await expectTruthful(traffic, redis);
    });
  });
});
