/**
 * Generic commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class GenericCommands<S = Buffer> extends Commands<S> {}
