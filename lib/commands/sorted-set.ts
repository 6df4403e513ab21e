/**
 * SortedSet commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class SortedSetCommands<S = Buffer> extends Commands<S> {}
