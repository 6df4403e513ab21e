/**
 * Scripting commands. STUB: being written.
 *
 * @module
 */
import { Commands } from './base';

export abstract class ScriptingCommands<S = Buffer> extends Commands<S> {}
