/**
 * Liveness of one connection: a health PING when it has been idle, and a stall detector when it
 * has commands pending and reads nothing. One timer per connection, re-armed lazily when it fires:
 * the hot path only stamps the time of each read and of each change from idle to busy.
 *
 * A dead socket is destroyed with an error (a {@link TimeoutError} saying which check failed), so
 * the connection closes through its ordinary socket-error path and every pending command rejects
 * the normal way.
 *
 * @module
 */
import type * as net from 'node:net';
import createDebug from 'debug';
import type Denque from 'denque';
import { TimeoutError } from './errors';
import type { ConnectionConfig } from './options';
import { commandName } from './protocol/encoder';
import { Pending, type SentState } from './pending';
import type { Outbox } from './socket';

const debug = createDebug('redmux:liveness');

/** Default `healthCheckInterval` (ConnectionOptions), milliseconds. */
export const DEFAULT_HEALTH_CHECK_INTERVAL = 5000;
/** Default `healthCheckTimeout` (ConnectionOptions), milliseconds. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT = 2000;
/** Default `stallTimeout` (ConnectionOptions), milliseconds. */
export const DEFAULT_STALL_TIMEOUT = 15_000;
/** Added to a blocking command's own server timeout before its silence counts as a stall. */
export const BLOCKING_GRACE = 1000;
/** The longest delay `setTimeout` takes (2^31 − 1 ms); longer ones fire at once, with a warning. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

const PING = commandName('PING');

/** The three settings, with their defaults applied. */
export interface LivenessSettings {
  /** Idle time before a health PING; 0: never. */
  interval: number;
  /** How long a health PING may wait for its reply. */
  timeout: number;
  /** Silence with commands pending before the socket counts as dead; Infinity: never. */
  stall: number;
}

/** The settings of a connection config, defaults applied; a client-wide commandTimeout longer than stallTimeout stretches it. */
export function livenessSettings(config: ConnectionConfig): LivenessSettings {
  const stall = config.stallTimeout ?? DEFAULT_STALL_TIMEOUT;
  return {
    interval: config.healthCheckInterval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
    timeout: config.healthCheckTimeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT,
    stall: stall === 0 ? Infinity : Math.max(stall, config.commandTimeout ?? 0),
  };
}

/** What the state of the connection lets the timer do, decided from what was sent. */
export const enum Due {
  /** Nothing to do before `at`. */
  Wait,
  /** Send a health PING now. */
  Ping,
  /** The PING got no reply in time. */
  HealthFailed,
  /** Commands are pending and nothing was read for too long. */
  Stalled,
}

/** What the timer looks at when it fires; see {@link decide}. */
export interface Observed {
  /** performance.now() as the timer fired. */
  now: number;
  /** Start of the current silence: the last read, or when the connection went from idle to busy. */
  quietSince: number;
  /** When the health PING still unanswered was sent; -1: none is. */
  pingAt: number;
  /** Commands pending (the PING included). */
  pending: number;
  /** A PING may be sent now (not under MONITOR, not inside MULTI). */
  mayPing: boolean;
  /** The latest deadline of the pending commands that stretch the stall timeout (see {@link Liveness.stretch}); computed only when asked. */
  stretched: () => number;
}

/**
 * The pure rule: what to do now, and otherwise when to look again (`at`, absolute; Infinity: only
 * when the connection becomes busy).
 */
export function decide(s: LivenessSettings, o: Observed): { due: Due; at: number } {
  if (o.pingAt >= 0) {
    // The PING went out on an idle connection, so it heads the FIFO: nothing is answered before it.
    const at = o.pingAt + s.timeout;
    return o.now >= at ? { due: Due.HealthFailed, at } : { due: Due.Wait, at };
  }
  if (o.pending === 0) {
    if (s.interval === 0) return { due: Due.Wait, at: Infinity };
    const at = o.quietSince + s.interval;
    if (o.now < at) return { due: Due.Wait, at };
    // Inside MULTI a PING would be queued into the transaction; look again later.
    return o.mayPing ? { due: Due.Ping, at: o.now } : { due: Due.Wait, at: o.now + s.interval };
  }
  // Busy: come back to notice when it turns idle, if the health check wants to know.
  const poll = s.interval === 0 ? Infinity : o.now + s.interval;
  if (s.stall === Infinity) return { due: Due.Wait, at: poll };
  const base = o.quietSince + s.stall;
  if (o.now < base) return { due: Due.Wait, at: Math.min(base, poll) };
  const stretched = o.stretched();
  if (o.now >= stretched) return { due: Due.Stalled, at: base };
  // A blocking or long-timeout command is still within its own time: look again then, or sooner.
  return { due: Due.Wait, at: Math.min(stretched, poll, o.now + s.stall) };
}

/** What a connection lends its Liveness. */
export interface LivenessHost {
  readonly socket: net.Socket;
  readonly outbox: Outbox;
  readonly pending: Denque<Pending>;
  readonly state: SentState;
  /** True once MONITOR was sent: nothing else may be. */
  monitoring(): boolean;
  /** A health PING was answered. */
  answered?(): void;
}

/** The health check and stall detector of one connection; see the module comment. */
export class Liveness {
  /** performance.now() of the last read; the connection stamps it. */
  quietSince = performance.now();
  readonly #settings: LivenessSettings;
  readonly #host: LivenessHost;
  #timer: NodeJS.Timeout | undefined = undefined;
  /** When the timer fires (performance.now() time); Infinity when none is armed. */
  #timerAt = Infinity;
  #stopped = false;
  #pingAt = -1;
  /** Commands whose own time is longer than the stall timeout: when they were sent, and that time. */
  readonly #stretch = new WeakMap<Pending, { at: number; ms: number }>();
  readonly #onTimer = (): void => this.#check();
  /** The PING was answered (any reply proves the server is there): idle time counts from now. */
  readonly #answered = (): void => {
    this.#pingAt = -1;
    if (this.#stopped) return;
    // Commands may have queued behind the PING: the stall check may be due before the next PING.
    this.#arm(this.quietSince + Math.min(this.#settings.interval, this.#settings.stall));
    this.#host.answered?.(); // last: what it sends may re-arm the timer
  };
  readonly #stretched = (): number => this.#latestStretched();

  constructor(settings: LivenessSettings, host: LivenessHost) {
    this.#settings = settings;
    this.#host = host;
    host.socket.once('close', () => this.stop());
    if (settings.interval > 0) this.#arm(this.quietSince + settings.interval);
  }

  /** 1 while a health PING is out, else 0: the PING is not the user's, so it is not counted as in flight. */
  get pinging(): number {
    return this.#pingAt >= 0 ? 1 : 0;
  }

  /** The connection went from idle to busy: the stall clock starts now, unless a read restarts it. */
  busy(): void {
    this.quietSince = performance.now();
    // Usually the timer is due sooner (the idle interval is shorter): then this costs nothing.
    const at = this.quietSince + this.#settings.stall;
    if (at < this.#timerAt) this.#arm(at);
  }

  /**
   * A command whose own wait may outlast the stall timeout: a blocking command (`serverWait`, its
   * server timeout in ms, plus a grace) or a call with a longer `timeout`. Not the hot path: most
   * commands are neither.
   */
  stretch(slot: Pending, serverWait: number | undefined, timeout: number | undefined): void {
    const ms = Math.max(
      serverWait === undefined ? 0 : serverWait + BLOCKING_GRACE,
      timeout === undefined ? 0 : timeout,
    );
    if (ms > this.#settings.stall) this.#stretch.set(slot, { at: performance.now(), ms });
  }

  /** Disarms the timer for good (the socket closed). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** (Re)arms the one timer to fire at `at` (Infinity: disarms it). */
  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#stopped || at === Infinity) return;
    this.#timerAt = at;
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(1, Math.ceil(at - performance.now())));
    // unref: a connection's own socket decides whether the process stays alive, not its checks.
    this.#timer = setTimeout(this.#onTimer, delay).unref();
  }

  #check(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const host = this.#host;
    if (this.#stopped || host.socket.destroyed) return;
    const now = performance.now();
    const { due, at } = decide(this.#settings, {
      now,
      quietSince: this.quietSince,
      pingAt: this.#pingAt,
      pending: host.pending.length,
      mayPing: !host.monitoring() && host.state.transaction === null,
      stretched: this.#stretched,
    });
    switch (due) {
      case Due.Wait:
        return this.#arm(at);
      case Due.Ping:
        return this.#ping(now);
      case Due.HealthFailed:
        return this.#destroy(
          `health check failed: no reply to PING within ${this.#settings.timeout} ms`,
        );
      case Due.Stalled:
        return this.#destroy(
          `stalled: ${host.pending.length} command(s) pending and nothing read for ` +
            `${Math.round(now - this.quietSince)} ms (stallTimeout ${this.#settings.stall} ms)`,
        );
    }
  }

  /**
   * Sends the health PING. Internal: its slot resolves and rejects into nothing, it is not counted
   * as sent, and user commands sent meanwhile queue behind it in the FIFO as usual.
   */
  #ping(now: number): void {
    const slot = new Pending('PING', null);
    // Any reply, an error included, proves the server is there and reading.
    slot.resolve = this.#answered;
    slot.reject = this.#answered;
    this.#host.outbox.write(PING, []);
    this.#host.pending.push(slot);
    this.#pingAt = this.quietSince = now;
    if (debug.enabled) debug('health check: PING');
    this.#arm(now + this.#settings.timeout);
  }

  #latestStretched(): number {
    const pending = this.#host.pending;
    let latest = -Infinity;
    for (let i = 0; i < pending.length; i++) {
      const own = this.#stretch.get(pending.peekAt(i) as Pending);
      // Its wait starts when it was sent or, behind others, when their replies stopped coming.
      if (own !== undefined) latest = Math.max(latest, Math.max(own.at, this.quietSince) + own.ms);
    }
    return latest;
  }

  #destroy(reason: string): void {
    debug('%s', reason);
    this.stop();
    // The connection's socket-error handler closes it and rejects what is pending, as for any loss.
    this.#host.socket.destroy(new TimeoutError(reason));
  }
}
