/**
 * Server commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class ServerCommands<S = Buffer> extends Commands<S> {}
