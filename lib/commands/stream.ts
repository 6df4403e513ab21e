/**
 * Stream commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class StreamCommands<S = Buffer> extends Commands<S> {}
