/**
 * Refusing input a call does not understand (DESIGN.md invariant 2): an options argument that is
 * not a plain object, or an option key the call does not know, is a `TypeError` that names the key
 * and the closest known one, so `{ withscores: true }` or `{ maxSize: 2 }` fails loudly instead of
 * being ignored. Pure: no I/O. Messages name keys, never values (a value may be a password).
 *
 * @module
 */

/** Whether `value` is a plain object: `{…}` or `Object.create(null)`, not an array, class or Buffer. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The known key closest to `key`, or undefined when none is close: the same key in another case
 * (`withscores` → `withScores`), a known key that starts with it or that it starts with, else the
 * one within an edit distance of a third of its length (typos such as `encodng`).
 */
export function closestKey(key: string, known: Iterable<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    if (other === lower) return candidate;
    const distance =
      lower.length > 1 && (other.startsWith(lower) || lower.startsWith(other))
        ? 0.5
        : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Checks that `options` is a plain object whose own keys are all in `known`; `undefined` passes.
 * Returns the TypeError to reject with, or undefined. `where` names the call, e.g. `'zrange()'`.
 * `hints` maps a key people commonly type to what to write instead (`ex` → `"expire: seconds"`).
 */
export function optionsError(
  where: string,
  options: unknown,
  known: ReadonlySet<string>,
  hints?: Readonly<Record<string, string>>,
): TypeError | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) {
    return new TypeError(`${where} options must be a plain object, not ${describe(options)}`);
  }
  for (const key in options) {
    if (known.has(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    return new TypeError(unknownKeyMessage(where, key, known, hints));
  }
  return undefined;
}

/**
 * An async iterator whose every `next()` rejects with `error`: how a method that returns an
 * iterator (`iscan()`, `Channel.iter()`…) refuses its input without a synchronous throw, so the
 * error surfaces where `for await` reads it.
 */
export function refusedIterator(error: Error): AsyncIterableIterator<never> {
  const iterator: AsyncIterableIterator<never> = {
    next: () => Promise.reject(error),
    return: () => Promise.resolve({ done: true, value: undefined as never }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** "zrange() has no option 'withscores'; did you mean 'withScores'?" */
export function unknownKeyMessage(
  where: string,
  key: string,
  known: ReadonlySet<string>,
  hints?: Readonly<Record<string, string>>,
): string {
  const hint = hints !== undefined && Object.hasOwn(hints, key) ? hints[key] : undefined;
  const suggestion = hint ?? quote(closestKey(key, known));
  const base = `${where} has no option '${key}'`;
  if (suggestion !== undefined) return `${base}; did you mean ${suggestion}?`;
  return known.size === 0
    ? `${base}: it takes no options`
    : `${base}; it knows ${[...known].map((k) => `'${k}'`).join(', ')}`;
}

/** A value's kind for an error message, never the value itself (it may be a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name !== 'string' || name === '') return 'an object';
    return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
  }
  return `a ${typeof value}`;
}

function quote(key: string | undefined): string | undefined {
  return key === undefined ? undefined : `'${key}'`;
}

/** Levenshtein distance, for suggestions between short option names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
