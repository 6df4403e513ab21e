/**
 * Cluster commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class ClusterCommands<S = Buffer> extends Commands<S> {}
