/**
 * STUB — being written by the reader helper. The exported names and types below are fixed.
 */
import type { ReplyError } from '../errors';

/**
 * A reply as the reader produces it. See the mapping table in this file's module doc.
 */
export type Reply =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | ReplyError
  | Reply[]
  | Map<Reply, Reply>;

/** The hiredis.Reader contract: any parser passed as the `parser` option implements this. */
export interface ReaderLike {
  /** Appends bytes received from the server. */
  feed(data: Buffer): void;
  /** The next complete reply, or `false` when more bytes are needed. Throws ProtocolError. */
  gets(): Reply | false;
  /**
   * Optional: when present, bulk strings of replies started after it is set are decoded with this
   * encoding (null → Buffers). The connection sets it to the pending command's encoding before each
   * gets(), which spares a second pass; parsers without it get their replies decoded afterwards.
   */
  encoding?: BufferEncoding | null;
}

/** A class implementing {@link ReaderLike}, as accepted by the `parser` option. */
export type ReaderConstructor = new () => ReaderLike;

/** An out-of-band RESP3 push frame (`>`): an array that answers no command. */
export class PushReply extends Array<Reply> {}

export interface ReaderOptions {
  /** Deepest nesting of aggregates accepted. Default 1024. */
  maxDepth?: number;
  /** Longest bulk string accepted, in bytes. Default 512 MiB. */
  maxBulkLength?: number;
}

export const MAX_DEPTH = 1024;
export const MAX_BULK_LENGTH = 512 * 1024 * 1024;

export class Reader implements ReaderLike {
  encoding: BufferEncoding | null = null;
  constructor(_options: ReaderOptions = {}) {}
  feed(_data: Buffer): void {
    throw new Error('not implemented');
  }
  gets(): Reply | false {
    throw new Error('not implemented');
  }
}
