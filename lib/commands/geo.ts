/**
 * Geo commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class GeoCommands<S = Buffer> extends Commands<S> {}
