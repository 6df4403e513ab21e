/**
 * List commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class ListCommands<S = Buffer> extends Commands<S> {}
