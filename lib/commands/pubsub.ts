/**
 * Pubsub commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class PubsubCommands<S = Buffer> extends Commands<S> {}
