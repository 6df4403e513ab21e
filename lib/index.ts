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
export { RedisConnection } from './connection';
export { createConnection } from './open-connection';
export type { ExecuteOptions, PubsubReply } from './connection';
export type { Address, ConnectionOptions } from './options';
export { BLOCKING_COMMANDS, BLOCKING_WITH_OPTION, ConnectionsPool, createPool } from './pool';
export type { AcquireOptions, PoolOptions, PoolState } from './pool';
export type { Arg } from './protocol/encoder';
export { Reader, PushReply, MAX_DEPTH, MAX_BULK_LENGTH } from './protocol/reader';
export type { Reply, ReaderLike, ReaderConstructor, ReaderOptions } from './protocol/reader';
export { Channel, Receiver } from './pubsub';
export { isGap } from './pubsub-gap';
export type { GapEvent, GapPolicy, OverflowPolicy, QueueOptions } from './pubsub-gap';
export { ContextRedis, createRedis, createRedisPool, Redis } from './redis';
export type { RedisExecuteOptions, RedisOptions, TransactionOptions } from './redis';
export type { ReconnectingOptions } from './link/options';
export type { ReconnectOptions } from './link/backoff';
export type { LinkState, LostEvent, ReadyEvent, ReconnectingEvent } from './link/link';
export { MultiExec, Pipeline } from './transaction';
export type { Batch, BatchExecuteOptions, BatchResults, BatchSettled } from './transaction';
export type { Bulk, ReadOptions } from './commands/base';
export type {
  BitfieldOffset,
  BitfieldOperation,
  BitfieldType,
  BitRange,
  GetExOptions,
  LcsIdx,
  LcsIdxOptions,
  LcsMatch,
  SetOptions,
} from './commands/string';
export type {
  ChannelArg,
  ChannelMessage,
  ChannelOptions,
  ChannelOptionsArg,
  Decoder,
  GetOptions,
  ReceiverMessage,
  SubscribedChannels,
} from './pubsub';
export * from './errors';
export type { CursorOptions } from './commands/base';
export type { HRandFieldOptions, HScanOptions } from './commands/hash';
export type {
  CopyOptions,
  ExpireOptions,
  MigrateOptions,
  RestoreOptions,
  ScanOptions,
  SortElements,
  SortOptions,
  SortReadOptions,
  SortReply,
} from './commands/generic';
export type {
  LInsertOptions,
  ListEnd,
  LMPopOptions,
  LPopOptions,
  LPosOptions,
} from './commands/list';
export type {
  SInterCardOptions,
  SPopOptions,
  SRandMemberOptions,
  SScanOptions,
} from './commands/set';
export type {
  GeoAddOptions,
  GeoLimitOptions,
  GeoMember,
  GeoPoint,
  GeoQueryOptions,
  GeoRadiusOptions,
  GeoRadiusReply,
  GeoReply,
  GeoResult,
  GeoSearchBy,
  GeoSearchFrom,
  GeoSearchStoreOptions,
  GeoUnit,
} from './commands/geo';
export type {
  ScoredMember,
  ZAddOptions,
  ZCombineOptions,
  ZExclude,
  ZInterCardOptions,
  ZLexRange,
  ZLimit,
  ZMembers,
  ZMultiPopped,
  ZPopOptions,
  ZPopped,
  ZRandMemberOptions,
  ZRandMembers,
  ZRangeByLexOptions,
  ZRangeByScoreOptions,
  ZRangeOptions,
  ZRangeStoreOptions,
  ZScanOptions,
  ZScoreRange,
  ZStoreOptions,
} from './commands/sorted-set';
export type {
  FlushModeOptions,
  FunctionInfo,
  FunctionLibrary,
  FunctionListOptions,
  FunctionLoadOptions,
  FunctionRestoreOptions,
  FunctionStats,
} from './commands/scripting';
export { Script, type ScriptClient, type ScriptOptions } from './script';
export type {
  DeletedEntry,
  StreamConsumerInfo,
  StreamEntry,
  StreamGroupFull,
  StreamGroupInfo,
  StreamId,
  StreamInfo,
  StreamInfoBase,
  StreamInfoFull,
  StreamPendingEntry,
  StreamRead,
  XAddOptions,
  XAddReply,
  XAutoClaimed,
  XAutoClaimOptions,
  XClaimed,
  XClaimOptions,
  XGroupCreateOptions,
  XGroupSetidOptions,
  XInfoStreamOptions,
  XInfoStreamReply,
  XPendingOptions,
  XPendingSummary,
  XRangeOptions,
  XReadGroupOptions,
  XReadOptions,
  XSetIdOptions,
  XTrimOptions,
} from './commands/stream';
export type {
  ClusterEpoch,
  ClusterInfo,
  ClusterLink,
  ClusterNode,
  ClusterNodeAddress,
  ClusterShard,
  ClusterShardNode,
  ClusterSlotNode,
  ClusterSlots,
  SlotRange,
} from './commands/cluster';
export type { AclLogEntry, AclUser } from './commands/acl';
export type {
  ClientInfo,
  ClientKillFilters,
  ClientListOptions,
  ClientPauseOptions,
  ClientTrackingOptions,
  ClientType,
  ClientUnblockOptions,
  TrackingInfo,
} from './commands/client';
export type {
  BgsaveOptions,
  CommandArgumentDoc,
  CommandDoc,
  CommandInfo,
  CommandListOptions,
  DebugObject,
  FailoverOptions,
  FlushOptions,
  InfoValue,
  KeyAndFlags,
  KeySpec,
  KeySpecStep,
  LatencyEvent,
  LatencyHistogram,
  LolwutOptions,
  MasterRole,
  MemoryStats,
  MemoryUsageOptions,
  ModuleInfo,
  ModuleLoadexOptions,
  Monitor,
  MonitorLine,
  ReplicaRole,
  Role,
  SentinelRole,
  ServerInfo,
  ShutdownOptions,
  SlowlogEntry,
} from './commands/server';

// Redis Cluster (lib/cluster/): imports the layers above, never imported by them.
export { createCluster, createRedisCluster } from './cluster/create';
export { RedisCluster } from './cluster/cluster';
export type { ClusterStats } from './cluster/retry';
export type { TopologyEvent } from './cluster/send';
export { ClusterMultiExec } from './cluster/batch';
export type {
  AddressMap,
  ClusterOptions,
  NodeAddress,
  ReadFrom,
  RefreshOptions,
} from './cluster/options';
export {
  Topology,
  type ClusterNode as TopologyNode,
  type NodeHealth,
  type NodeRole,
  type Shard,
} from './cluster/topology';
export {
  ClusterConnectError,
  ClusterDownError,
  CrossSlotError,
  NoNodeForSlotError,
  TooManyRedirectionsError,
  type SeedFailure,
} from './cluster/cluster-errors';
export { hashSlot } from './cluster/slot';
