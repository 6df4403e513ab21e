/**
 * Set commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class SetCommands<S = Buffer> extends Commands<S> {}
