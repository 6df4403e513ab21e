/**
 * HyperLogLog commands (aioredis 1.x `commands/hyperloglog.py`, camelCase): approximate counting
 * of distinct elements in a fixed ~12 KB per key.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import { Commands, isOk, isOne } from './base';

export abstract class HyperLogLogCommands<S = Buffer> extends Commands<S> {
  /** PFADD: adds elements; resolves whether the estimate changed (or the key was created). */
  pfadd(key: Arg, value: Arg, ...values: Arg[]): Promise<boolean> {
    return this.execute<number>('PFADD', key, value, ...values).then(isOne);
  }

  /** PFCOUNT: the estimated number of distinct elements added to the keys (their union). */
  pfcount(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('PFCOUNT', key, ...keys);
  }

  /** PFMERGE: `destkey` = the union of itself and the source keys. Resolves true. */
  pfmerge(destkey: Arg, sourcekey: Arg, ...sourcekeys: Arg[]): Promise<boolean> {
    return this.execute<string>('PFMERGE', destkey, sourcekey, ...sourcekeys).then(isOk);
  }
}
