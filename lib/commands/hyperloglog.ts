/**
 * HyperLogLog commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class HyperLogLogCommands<S = Buffer> extends Commands<S> {}
