/**
 * redmux: a pipelined, multiplexing Redis client for Node.js in the aioredis 1.x style.
 *
 * ```ts
 * import { createConnection } from 'redmux';
 *
 * const conn = await createConnection('redis://localhost:6379/0', { encoding: 'utf8' });
 * await conn.execute('SET', 'key', 'value');
 * console.log(await conn.execute('GET', 'key'));
 * conn.close();
 * ```
 *
 * @module redmux
 */
export { createConnection, RedisConnection } from './connection';
export type { ExecuteOptions, PubsubReply } from './connection';
export type { Address, ConnectionOptions } from './options';
export { BLOCKING_COMMANDS, BLOCKING_WITH_OPTION, ConnectionsPool, createPool } from './pool';
export type { AcquireOptions, PoolOptions } from './pool';
export type { Arg } from './protocol/encoder';
export { Reader, PushReply, MAX_DEPTH, MAX_BULK_LENGTH } from './protocol/reader';
export type { Reply, ReaderLike, ReaderConstructor, ReaderOptions } from './protocol/reader';
export { Channel, Receiver } from './pubsub';
export { ContextRedis, createRedis, createRedisPool, Redis } from './redis';
export type { Bulk, ReadOptions } from './commands/base';
export type { BitRange, GetExOptions, SetOptions } from './commands/string';
export type { ChannelMessage, Decoder, GetOptions } from './pubsub';
export * from './errors';
