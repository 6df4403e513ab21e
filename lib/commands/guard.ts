/**
 * The check in front of every typed method: a call with more positional arguments than the method
 * takes, an options argument that is not a plain object, or an option key the method does not know
 * rejects with a TypeError before the method runs, so nothing is sent (DESIGN.md invariant 2). What
 * each method takes is the generated table in ./signatures.ts, never a scattered check.
 *
 * A call without options and within its arity pays one comparison of `arguments.length`.
 *
 * @module
 */
import { describe, isPlainObject, refusedIterator, unknownKeyMessage } from '../strict';
import { type Signature, SIGNATURES } from './signatures';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Option keys that users of other clients type, and what to write here instead; offered only when
 * the method knows the suggested key (`{ ex: 60 }` on set() → `expire: seconds`).
 */
const KEY_HINTS: Readonly<Record<string, readonly [known: string, hint: string]>> = {
  ex: ['expire', 'expire: seconds'],
  px: ['pexpire', 'pexpire: milliseconds'],
  exat: ['expireAt', 'expireAt: unix seconds'],
  pxat: ['pexpireAt', 'pexpireAt: unix milliseconds'],
  nx: ['exist', "exist: 'NX'"],
  xx: ['exist', "exist: 'XX'"],
  gt: ['compare', "compare: 'GT'"],
  lt: ['compare', "compare: 'LT'"],
  ch: ['changed', 'changed: true'],
  keepttl: ['keepTtl', 'keepTtl: true'],
  pattern: ['match', 'match (the MATCH pattern)'],
  limit: ['count', 'count'],
};

/** What to do instead when a call has too many arguments or passes a value where options go. */
const CALL_HINTS: Readonly<Record<string, string>> = {
  set: 'write expiry and conditions as options: set(key, value, { expire: 60, exist: "NX" })',
  lpop: 'pass a count as options: lpop(key, { count: 2 })',
  rpop: 'pass a count as options: rpop(key, { count: 2 })',
  geoadd: 'add several members as an array: geoadd(key, [[lon, lat, member], …])',
  get: 'get() reads one key; mget(key, …keys) reads several',
  zadd: 'add several members as an array: zadd(key, [[score, member], …])',
};

/**
 * `method` behind the check of `name`'s row in the table. Throws at load time when the table has
 * no row for it: the table is stale (run `npm run signatures`).
 */
export function guarded(name: string, method: Method): Method {
  const signature = SIGNATURES[name];
  if (signature === undefined) {
    throw new Error(`${name}() has no row in lib/commands/signatures.ts: run npm run signatures`);
  }
  const [max, iterator, objects] = signature;
  // Below `limit` arguments there is nothing to check: no extra argument, no options object.
  const limit = Math.min(max ?? Infinity, objects?.[0]?.[0] ?? Infinity);
  if (limit === Infinity) return method;
  const refuse = iterator === true ? refusedIterator : refusedPromise;
  const checked = function (this: unknown) {
    if (arguments.length > limit) {
      // eslint-disable-next-line prefer-rest-params -- `arguments` is cheaper than a rest array here
      const error = refusal(name, signature, arguments);
      if (error !== undefined) return refuse(error);
    }
    // eslint-disable-next-line prefer-rest-params
    return method.apply(this, arguments as unknown as unknown[]);
  };
  ORIGINALS.set(checked, method);
  return checked;
}

const ORIGINALS = new WeakMap<Method, Method>();

/** The method a guard stands in front of (the function itself when it has none): where it is written. */
export function unguarded<F extends object>(method: F): F {
  return (ORIGINALS.get(method as unknown as Method) as F | undefined) ?? method;
}

/** The TypeError a call to `name` with `args` earns under `signature`, or undefined if it is fine. */
export function refusal(
  name: string,
  signature: Signature,
  args: ArrayLike<unknown>,
): TypeError | undefined {
  const [max, , objects = []] = signature;
  if (max !== null && args.length > max) {
    // Trailing undefineds are what a wrapper forwarding optional arguments passes: harmless.
    let given = args.length;
    while (given > max && args[given - 1] === undefined) given--;
    if (given > max) {
      const plural = max === 1 ? 'argument' : 'arguments';
      return withHint(name, `${name}() takes at most ${max} ${plural}, got ${given}`);
    }
  }
  for (const [index, param, keys, orArg] of objects) {
    if (index >= args.length) break;
    const value = args[index];
    // null stands for "no options", as plain JavaScript often passes it.
    if (value === undefined || value === null) continue;
    if (orArg === true && isArgLike(value)) continue;
    const where = /options$/i.test(param) ? `${name}()` : `${name}() ${param}`;
    if (keys === null) {
      if (isPlainObject(value)) continue;
      return withHint(name, `${where} must be a plain object, not ${describe(value)}`);
    }
    if (!isPlainObject(value)) {
      return withHint(name, `${where} options must be a plain object, not ${describe(value)}`);
    }
    const key = Object.keys(value).find((k) => !keys.has(k));
    if (key === undefined) continue;
    const hint = KEY_HINTS[key.toLowerCase()];
    const hints = hint !== undefined && keys.has(hint[0]) ? { [key]: hint[1] } : undefined;
    return new TypeError(unknownKeyMessage(where, key, keys, hints));
  }
  return undefined;
}

function isArgLike(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint' || Buffer.isBuffer(value);
}

function withHint(name: string, message: string): TypeError {
  const hint = Object.hasOwn(CALL_HINTS, name) ? CALL_HINTS[name] : undefined;
  return new TypeError(hint === undefined ? message : `${message}; ${hint}`);
}

function refusedPromise(error: TypeError): Promise<never> {
  return Promise.reject(error);
}

/**
 * Puts the check in front of each of `target`'s own methods that has a row in the table (a
 * client's methods beside the mixed-in groups: pipeline(), select(), acquire()…).
 */
export function guardOwnMethods(target: abstract new (...args: never[]) => unknown): void {
  const prototype = target.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name) as PropertyDescriptor;
    if (typeof descriptor.value !== 'function' || !Object.hasOwn(SIGNATURES, name)) continue;
    if (ORIGINALS.has(descriptor.value as Method)) continue; // a mixed-in method, already checked
    descriptor.value = guarded(name, descriptor.value as Method);
    Object.defineProperty(prototype, name, descriptor);
  }
}
