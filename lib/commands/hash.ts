/**
 * Hash commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class HashCommands<S = Buffer> extends Commands<S> {}
