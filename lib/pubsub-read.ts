/**
 * The argument checks and decoding that {@link Channel} and {@link Receiver} share: read options
 * (`encoding`, `decoder`), constructor options (with the queue's bounds), and how a raw message
 * becomes what a read returns. Pure: no I/O.
 *
 * @module
 */

import type { ChannelOptions, Decoder, GetOptions } from './pubsub';
import { QUEUE_OPTION_KEYS, queueLimits, type QueueLimits } from './pubsub-gap';
import { optionsError } from './strict';

/** Any of them: a decoder takes a string after an encoding, a Buffer without one. */
export type DecodeOptions = {
  encoding?: BufferEncoding | null;
  decoder?: (message: never) => unknown;
};

/** A raw message as the connection hands it over. */
export type RawMessage = Buffer | [channel: Buffer, message: Buffer];

const GET_OPTIONS: ReadonlySet<string> = new Set(['encoding', 'decoder']);
const CONSTRUCTOR_OPTIONS: ReadonlySet<string> = new Set(['encoding', ...QUEUE_OPTION_KEYS]);

/**
 * Why a read's arguments are refused, or undefined: more than one argument, options that are not
 * a plain object or have a key other than `encoding` and `decoder`, or values of the wrong kind.
 * Checked before a message is taken, so a refused read consumes nothing.
 */
export function readError(where: string, options: unknown, extra: number): TypeError | undefined {
  if (extra > 0) return new TypeError(`${where} takes at most 1 argument, got ${extra + 1}`);
  if (options === undefined) return undefined;
  const refused = optionsError(where, options, GET_OPTIONS);
  if (refused !== undefined) return refused;
  const { encoding, decoder } = options as GetOptions;
  if (encoding != null && !isEncoding(encoding)) {
    return new TypeError(`${where} option 'encoding' must be a Buffer encoding or null`);
  }
  if (decoder !== undefined && typeof decoder !== 'function') {
    return new TypeError(`${where} option 'decoder' must be a function`);
  }
  return undefined;
}

/** `where` takes no arguments: the TypeError for `count` of them, or undefined when there are none. */
export function noArguments(where: string, count: number): TypeError | undefined {
  return count === 0 ? undefined : new TypeError(`${where} takes no arguments, got ${count}`);
}

/** Constructor options, checked, with the queue's limits (defaults applied). */
export interface Checked<O extends ChannelOptions> {
  readonly options: O;
  readonly limits: QueueLimits;
}

/** Checks constructor options: a sync throw, as a constructor has no promise to reject. */
export function checkConstructorOptions<O extends ChannelOptions>(
  where: string,
  options: unknown,
): Checked<O> {
  const refused = optionsError(where, options, CONSTRUCTOR_OPTIONS);
  if (refused !== undefined) throw refused;
  const given = options as O | undefined;
  if (given?.encoding != null && !isEncoding(given.encoding)) {
    throw new TypeError(`${where} option 'encoding' must be a Buffer encoding or null`);
  }
  return { options: given ?? ({} as O), limits: queueLimits(where, given) };
}

/** The bytes a message counts toward `maxQueuedBytes`: the payload, and a pattern's channel name. */
export function rawSize(raw: RawMessage): number {
  return Array.isArray(raw) ? raw[0].length + raw[1].length : raw.length;
}

export function isEncoding(value: unknown): value is BufferEncoding {
  return typeof value === 'string' && Buffer.isEncoding(value);
}

export function decodeOne(
  message: Buffer,
  encoding: BufferEncoding | null,
  decoder: DecodeOptions['decoder'],
): unknown {
  const decoded = encoding ? message.toString(encoding) : message;
  // The overloads pair a string decoder with an encoding and a Buffer decoder without one.
  return decoder ? (decoder as Decoder)(decoded) : decoded;
}
