/**
 * What every typed method takes, generated from the methods’ declarations by
 * scripts/gen-signatures.ts (`npm run signatures`): do not edit by hand. Read by
 * lib/commands/guard.ts, which refuses extra arguments and unknown option keys before a method
 * runs. A row is `[max positional arguments (null: variadic), returns an async iterator,
 * [[index, parameter name, known keys, a string/number/Buffer may stand there instead]…]]`.
 *
 * @module
 */

/** @internal */
export type Keys = ReadonlySet<string>;
/** @internal One object parameter: index, name, known keys, whether an Arg may stand there. */
export type ObjectParam = readonly [
  index: number,
  name: string,
  keys: Keys | null,
  orArg?: boolean,
];
/** @internal */
export type Signature = readonly [
  max: number | null,
  iterator?: boolean,
  objects?: readonly ObjectParam[],
];

const K0: Keys = new Set(['signal', 'timeout']);
const K1: Keys = new Set(['schedule']);
const K2: Keys = new Set(['end', 'start', 'unit']);
const K3: Keys = new Set(['encoding', 'signal', 'timeout']);
const K4: Keys = new Set(['count', 'encoding', 'signal', 'timeout']);
const K5: Keys = new Set(['addr', 'id', 'laddr', 'maxage', 'skipme', 'type', 'user']);
const K6: Keys = new Set(['ids', 'type']);
const K7: Keys = new Set(['mode']);
const K8: Keys = new Set(['bcast', 'noloop', 'optin', 'optout', 'prefixes', 'redirect']);
const K9: Keys = new Set(['error']);
const K10: Keys = new Set(['filterBy']);
const K11: Keys = new Set(['db', 'replace']);
const K12: Keys = new Set(['condition']);
const K13: Keys = new Set(['abort', 'timeout', 'to']);
const K14: Keys = new Set(['async']);
const K15: Keys = new Set(['libraryName', 'withCode']);
const K16: Keys = new Set(['replace']);
const K17: Keys = new Set(['policy']);
const K18: Keys = new Set(['changed', 'exist']);
const K19: Keys = new Set([
  'any',
  'count',
  'encoding',
  'signal',
  'sort',
  'store',
  'storeDist',
  'timeout',
  'withCoord',
  'withDist',
  'withHash',
]);
const K20: Keys = new Set([
  'any',
  'count',
  'encoding',
  'signal',
  'sort',
  'timeout',
  'withCoord',
  'withDist',
  'withHash',
]);
const K21: Keys = new Set(['fromLonLat', 'fromMember']);
const K22: Keys = new Set(['byBox', 'byRadius']);
const K23: Keys = new Set(['any', 'count', 'sort', 'storeDist']);
const K24: Keys = new Set([
  'encoding',
  'expire',
  'expireAt',
  'persist',
  'pexpire',
  'pexpireAt',
  'signal',
  'timeout',
]);
const K25: Keys = new Set(['count', 'encoding', 'signal', 'timeout', 'withValues']);
const K26: Keys = new Set(['count', 'encoding', 'match', 'signal', 'timeout']);
const K27: Keys = new Set(['count', 'encoding', 'match', 'signal', 'timeout', 'type']);
const K28: Keys = new Set(['minMatchLen', 'withMatchLen']);
const K29: Keys = new Set(['before']);
const K30: Keys = new Set(['version']);
const K31: Keys = new Set(['count', 'maxlen', 'rank']);
const K32: Keys = new Set(['samples']);
const K33: Keys = new Set(['copy', 'password', 'replace', 'username']);
const K34: Keys = new Set(['args', 'configs']);
const K35: Keys = new Set(['absttl', 'freq', 'idletime', 'replace']);
const K36: Keys = new Set(['exist', 'expire', 'keepTtl', 'pexpire']);
const K37: Keys = new Set(['abort', 'force', 'now', 'save']);
const K38: Keys = new Set(['limit']);
const K39: Keys = new Set([
  'alpha',
  'asc',
  'by',
  'count',
  'encoding',
  'get',
  'offset',
  'signal',
  'store',
  'timeout',
]);
const K40: Keys = new Set([
  'alpha',
  'asc',
  'by',
  'count',
  'encoding',
  'get',
  'offset',
  'signal',
  'timeout',
]);
const K41: Keys = new Set(['attempts']);
const K42: Keys = new Set(['approximate', 'id', 'limit', 'maxlen', 'minid', 'nomkstream']);
const K43: Keys = new Set(['count', 'encoding', 'justid', 'signal', 'timeout']);
const K44: Keys = new Set([
  'encoding',
  'force',
  'idle',
  'justid',
  'lastid',
  'retryCount',
  'signal',
  'time',
  'timeout',
]);
const K45: Keys = new Set(['entriesRead', 'mkstream']);
const K46: Keys = new Set(['entriesRead']);
const K47: Keys = new Set(['count', 'encoding', 'full', 'signal', 'timeout']);
const K48: Keys = new Set(['consumer', 'idle']);
const K49: Keys = new Set(['block', 'count', 'encoding', 'signal', 'timeout']);
const K50: Keys = new Set(['block', 'count', 'encoding', 'noack', 'signal', 'timeout']);
const K51: Keys = new Set(['entriesAdded', 'maxDeletedId']);
const K52: Keys = new Set(['approximate', 'limit', 'maxlen', 'minid']);
const K53: Keys = new Set(['changed', 'compare', 'exist', 'incr']);
const K54: Keys = new Set(['exclude']);
const K55: Keys = new Set(['encoding', 'signal', 'timeout', 'withScores']);
const K56: Keys = new Set(['aggregate', 'encoding', 'signal', 'timeout', 'weights', 'withScores']);
const K57: Keys = new Set(['aggregate', 'weights']);
const K58: Keys = new Set(['includeMax', 'includeMin']);
const K59: Keys = new Set(['count', 'encoding', 'signal', 'timeout', 'withScores']);
const K60: Keys = new Set([
  'count',
  'encoding',
  'includeMax',
  'includeMin',
  'offset',
  'signal',
  'timeout',
]);
const K61: Keys = new Set([
  'count',
  'encoding',
  'exclude',
  'offset',
  'signal',
  'timeout',
  'withScores',
]);
const K62: Keys = new Set([
  'byLex',
  'byScore',
  'count',
  'exclude',
  'includeMax',
  'includeMin',
  'offset',
  'rev',
]);

/** @internal */
export const SIGNATURES: Readonly<Record<string, Signature>> = {
  aclCat: [1], // AclCommands
  aclDeluser: [null], // AclCommands
  aclDryrun: [null], // AclCommands
  aclGenpass: [1], // AclCommands
  aclGetuser: [1], // AclCommands
  aclList: [0], // AclCommands
  aclLoad: [0], // AclCommands
  aclLog: [1], // AclCommands
  aclLogReset: [0], // AclCommands
  aclSave: [0], // AclCommands
  aclSetuser: [null], // AclCommands
  aclUsers: [0], // AclCommands
  aclWhoami: [0], // AclCommands
  acquire: [1, false, [[0, 'options', K0]]], // Redis
  append: [2], // StringCommands
  auth: [2], // Redis
  bgrewriteaof: [0], // ServerCommands
  bgsave: [1, false, [[0, 'options', K1]]], // ServerCommands
  bitcount: [2, false, [[1, 'range', K2]]], // StringCommands
  bitfield: [2], // StringCommands
  bitfieldRo: [2], // StringCommands
  bitopAnd: [null], // StringCommands
  bitopNot: [2], // StringCommands
  bitopOr: [null], // StringCommands
  bitopXor: [null], // StringCommands
  bitpos: [4], // StringCommands
  blmove: [6, false, [[5, 'options', K3]]], // ListCommands
  blmpop: [4, false, [[3, 'options', K4]]], // ListCommands
  blpop: [3, false, [[2, 'options', K3]]], // ListCommands
  brpop: [3, false, [[2, 'options', K3]]], // ListCommands
  brpoplpush: [4, false, [[3, 'options', K3]]], // ListCommands
  bzmpop: [4, false, [[3, 'options', K4]]], // SortedSetCommands
  bzpopmax: [3, false, [[2, 'options', K3]]], // SortedSetCommands
  bzpopmin: [3, false, [[2, 'options', K3]]], // SortedSetCommands
  clientCaching: [1], // ClientCommands
  clientGetname: [1, false, [[0, 'options', K3]]], // ClientCommands
  clientGetredir: [0], // ClientCommands
  clientId: [0], // ClientCommands
  clientInfo: [0], // ClientCommands
  clientKill: [1, false, [[0, 'filters', K5]]], // ClientCommands
  clientList: [1, false, [[0, 'options', K6]]], // ClientCommands
  clientNoEvict: [1], // ClientCommands
  clientPause: [2, false, [[1, 'options', K7]]], // ClientCommands
  clientSetname: [1], // ClientCommands
  clientTracking: [2, false, [[1, 'options', K8]]], // ClientCommands
  clientTrackinginfo: [0], // ClientCommands
  clientUnblock: [2, false, [[1, 'options', K9]]], // ClientCommands
  clientUnpause: [0], // ClientCommands
  clusterAddslots: [null], // ClusterCommands
  clusterAddslotsrange: [null], // ClusterCommands
  clusterBumpepoch: [0], // ClusterCommands
  clusterCountFailureReports: [1], // ClusterCommands
  clusterCountkeysinslot: [1], // ClusterCommands
  clusterDelslots: [null], // ClusterCommands
  clusterDelslotsrange: [null], // ClusterCommands
  clusterFailover: [1], // ClusterCommands
  clusterFlushslots: [0], // ClusterCommands
  clusterForget: [1], // ClusterCommands
  clusterGetkeysinslot: [3, false, [[2, 'options', K3]]], // ClusterCommands
  clusterInfo: [0], // ClusterCommands
  clusterKeyslot: [1], // ClusterCommands
  clusterLinks: [0], // ClusterCommands
  clusterMeet: [3], // ClusterCommands
  clusterMyid: [0], // ClusterCommands
  clusterMyshardid: [0], // ClusterCommands
  clusterNodes: [0], // ClusterCommands
  clusterReplicas: [1], // ClusterCommands
  clusterReplicate: [1], // ClusterCommands
  clusterReset: [1], // ClusterCommands
  clusterSaveconfig: [0], // ClusterCommands
  clusterSetConfigEpoch: [1], // ClusterCommands
  clusterSetslot: [3], // ClusterCommands
  clusterShards: [0], // ClusterCommands
  clusterSlots: [0], // ClusterCommands
  command: [0], // ServerCommands
  commandCount: [0], // ServerCommands
  commandDocs: [null], // ServerCommands
  commandGetkeys: [null], // ServerCommands
  commandGetkeysandflags: [null], // ServerCommands
  commandInfo: [null], // ServerCommands
  commandList: [1, false, [[0, 'options', K10]]], // ServerCommands
  configGet: [null], // ServerCommands
  configResetstat: [0], // ServerCommands
  configRewrite: [0], // ServerCommands
  configSet: [2, false, [[0, 'parameter', null, true]]], // ServerCommands
  copy: [3, false, [[2, 'options', K11]]], // GenericCommands
  dbsize: [0], // ServerCommands
  debugObject: [1], // ServerCommands
  debugSleep: [1], // ServerCommands
  decr: [1], // StringCommands
  decrby: [2], // StringCommands
  del: [null], // GenericCommands
  delete: [null], // GenericCommands
  dump: [1], // GenericCommands
  echo: [2, false, [[1, 'options', K3]]], // ConnectionCommands
  eval: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  evalRo: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  evalsha: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  evalshaRo: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  exists: [null], // GenericCommands
  expire: [3, false, [[2, 'options', K12]]], // GenericCommands
  expireat: [3, false, [[2, 'options', K12]]], // GenericCommands
  expiretime: [1], // GenericCommands
  failover: [1, false, [[0, 'options', K13]]], // ServerCommands
  fcall: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  fcallRo: [4, false, [[3, 'options', K3]]], // ScriptingCommands
  flushall: [1, false, [[0, 'options', K14]]], // ServerCommands
  flushdb: [1, false, [[0, 'options', K14]]], // ServerCommands
  functionDelete: [1], // ScriptingCommands
  functionDump: [0], // ScriptingCommands
  functionFlush: [1, false, [[0, 'options', K7]]], // ScriptingCommands
  functionKill: [0], // ScriptingCommands
  functionList: [1, false, [[0, 'options', K15]]], // ScriptingCommands
  functionLoad: [2, false, [[1, 'options', K16]]], // ScriptingCommands
  functionRestore: [2, false, [[1, 'options', K17]]], // ScriptingCommands
  functionStats: [0], // ScriptingCommands
  geoadd: [
    5,
    false,
    [
      [2, 'latitudeOrOptions', K18, true],
      [4, 'options', K18],
    ],
  ], // GeoCommands
  geodist: [4], // GeoCommands
  geohash: [null], // GeoCommands
  geopos: [null], // GeoCommands
  georadius: [6, false, [[5, 'options', K19]]], // GeoCommands
  georadiusRo: [6, false, [[5, 'options', K20]]], // GeoCommands
  georadiusbymember: [5, false, [[4, 'options', K19]]], // GeoCommands
  georadiusbymemberRo: [5, false, [[4, 'options', K20]]], // GeoCommands
  geosearch: [
    4,
    false,
    [
      [1, 'from', K21],
      [2, 'by', K22],
      [3, 'options', K20],
    ],
  ], // GeoCommands
  geosearchstore: [
    5,
    false,
    [
      [2, 'from', K21],
      [3, 'by', K22],
      [4, 'options', K23],
    ],
  ], // GeoCommands
  get: [2, false, [[1, 'options', K3]]], // StringCommands
  getbit: [2], // StringCommands
  getdel: [2, false, [[1, 'options', K3]]], // StringCommands
  getex: [2, false, [[1, 'options', K24]]], // StringCommands
  getrange: [4, false, [[3, 'options', K3]]], // StringCommands
  getset: [3, false, [[2, 'options', K3]]], // StringCommands
  hdel: [null], // HashCommands
  hexists: [2], // HashCommands
  hget: [3, false, [[2, 'options', K3]]], // HashCommands
  hgetall: [2, false, [[1, 'options', K3]]], // HashCommands
  hincrby: [3], // HashCommands
  hincrbyfloat: [3], // HashCommands
  hkeys: [2, false, [[1, 'options', K3]]], // HashCommands
  hlen: [1], // HashCommands
  hmget: [3, false, [[2, 'options', K3]]], // HashCommands
  hmset: [null], // HashCommands
  hmsetDict: [2], // HashCommands
  hrandfield: [2, false, [[1, 'options', K25]]], // HashCommands
  hscan: [3, false, [[2, 'options', K26]]], // HashCommands
  hset: [null], // HashCommands
  hsetnx: [3], // HashCommands
  hstrlen: [2], // HashCommands
  hvals: [2, false, [[1, 'options', K3]]], // HashCommands
  ihscan: [2, true, [[1, 'options', K26]]], // HashCommands
  incr: [1], // StringCommands
  incrby: [2], // StringCommands
  incrbyfloat: [2], // StringCommands
  info: [null], // ServerCommands
  iscan: [1, true, [[0, 'options', K27]]], // GenericCommands
  isscan: [2, true, [[1, 'options', K26]]], // SetCommands
  izscan: [2, true, [[1, 'options', K26]]], // SortedSetCommands
  keys: [2, false, [[1, 'options', K3]]], // GenericCommands
  lastsave: [0], // ServerCommands
  latencyDoctor: [0], // ServerCommands
  latencyGraph: [1], // ServerCommands
  latencyHistogram: [null], // ServerCommands
  latencyHistory: [1], // ServerCommands
  latencyLatest: [0], // ServerCommands
  latencyReset: [null], // ServerCommands
  lcs: [3, false, [[2, 'options', K3]]], // StringCommands
  lcsIdx: [3, false, [[2, 'options', K28]]], // StringCommands
  lcsLen: [2], // StringCommands
  lindex: [3, false, [[2, 'options', K3]]], // ListCommands
  linsert: [4, false, [[3, 'options', K29]]], // ListCommands
  llen: [1], // ListCommands
  lmove: [5, false, [[4, 'options', K3]]], // ListCommands
  lmpop: [3, false, [[2, 'options', K4]]], // ListCommands
  lolwut: [1, false, [[0, 'options', K30]]], // ServerCommands
  lpop: [2, false, [[1, 'options', K4]]], // ListCommands
  lpos: [3, false, [[2, 'options', K31]]], // ListCommands
  lpush: [null], // ListCommands
  lpushx: [null], // ListCommands
  lrange: [4, false, [[3, 'options', K3]]], // ListCommands
  lrem: [3], // ListCommands
  lset: [3], // ListCommands
  ltrim: [3], // ListCommands
  memoryDoctor: [0], // ServerCommands
  memoryMallocStats: [0], // ServerCommands
  memoryPurge: [0], // ServerCommands
  memoryStats: [0], // ServerCommands
  memoryUsage: [2, false, [[1, 'options', K32]]], // ServerCommands
  mget: [2, false, [[1, 'options', K3]]], // StringCommands
  migrate: [6, false, [[5, 'options', K33]]], // GenericCommands
  migrateKeys: [6, false, [[5, 'options', K33]]], // GenericCommands
  moduleList: [0], // ServerCommands
  moduleLoad: [null], // ServerCommands
  moduleLoadex: [2, false, [[1, 'options', K34]]], // ServerCommands
  moduleUnload: [1], // ServerCommands
  monitor: [0], // ServerCommands
  move: [2], // GenericCommands
  mset: [1], // StringCommands
  msetnx: [1], // StringCommands
  objectEncoding: [1], // GenericCommands
  objectFreq: [1], // GenericCommands
  objectIdletime: [1], // GenericCommands
  objectRefcount: [1], // GenericCommands
  persist: [1], // GenericCommands
  pexpire: [3, false, [[2, 'options', K12]]], // GenericCommands
  pexpireat: [3, false, [[2, 'options', K12]]], // GenericCommands
  pexpiretime: [1], // GenericCommands
  pfadd: [null], // HyperLogLogCommands
  pfcount: [null], // HyperLogLogCommands
  pfmerge: [null], // HyperLogLogCommands
  ping: [1], // ConnectionCommands
  psetex: [3], // StringCommands
  psubscribe: [null], // PubsubCommands
  pttl: [1], // GenericCommands
  publish: [2], // PubsubCommands
  publishJson: [2], // PubsubCommands
  pubsubChannels: [2, false, [[1, 'options', K3]]], // PubsubCommands
  pubsubNumpat: [0], // PubsubCommands
  pubsubNumsub: [null], // PubsubCommands
  pubsubShardchannels: [2, false, [[1, 'options', K3]]], // PubsubCommands
  pubsubShardnumsub: [null], // PubsubCommands
  punsubscribe: [null], // PubsubCommands
  quit: [0], // Redis
  randomkey: [1, false, [[0, 'options', K3]]], // GenericCommands
  release: [0], // ContextRedis
  rename: [2], // GenericCommands
  renamenx: [2], // GenericCommands
  replicaof: [2], // ServerCommands
  restore: [4, false, [[3, 'options', K35]]], // GenericCommands
  role: [0], // ServerCommands
  rpop: [2, false, [[1, 'options', K4]]], // ListCommands
  rpoplpush: [3, false, [[2, 'options', K3]]], // ListCommands
  rpush: [null], // ListCommands
  rpushx: [null], // ListCommands
  sadd: [null], // SetCommands
  save: [0], // ServerCommands
  scan: [2, false, [[1, 'options', K27]]], // GenericCommands
  scard: [1], // SetCommands
  scriptExists: [null], // ScriptingCommands
  scriptFlush: [1, false, [[0, 'options', K7]]], // ScriptingCommands
  scriptKill: [0], // ScriptingCommands
  scriptLoad: [1], // ScriptingCommands
  sdiff: [2, false, [[1, 'options', K3]]], // SetCommands
  sdiffstore: [2], // SetCommands
  select: [1], // Redis
  set: [3, false, [[2, 'options', K36]]], // StringCommands
  setbit: [3], // StringCommands
  setex: [3], // StringCommands
  setnx: [2], // StringCommands
  setrange: [3], // StringCommands
  shutdown: [1, false, [[0, 'options', K37]]], // ServerCommands
  sinter: [2, false, [[1, 'options', K3]]], // SetCommands
  sintercard: [2, false, [[1, 'options', K38]]], // SetCommands
  sinterstore: [2], // SetCommands
  sismember: [2], // SetCommands
  slaveof: [2], // ServerCommands
  slowlogGet: [1], // ServerCommands
  slowlogLen: [0], // ServerCommands
  slowlogReset: [0], // ServerCommands
  smembers: [2, false, [[1, 'options', K3]]], // SetCommands
  smismember: [2], // SetCommands
  smove: [3], // SetCommands
  sort: [2, false, [[1, 'options', K39]]], // GenericCommands
  sortRo: [2, false, [[1, 'options', K40]]], // GenericCommands
  spop: [2, false, [[1, 'options', K4]]], // SetCommands
  spublish: [2], // PubsubCommands
  srandmember: [2, false, [[1, 'options', K4]]], // SetCommands
  srem: [null], // SetCommands
  sscan: [3, false, [[2, 'options', K26]]], // SetCommands
  ssubscribe: [null], // PubsubCommands
  strlen: [1], // StringCommands
  subscribe: [null], // PubsubCommands
  sunion: [2, false, [[1, 'options', K3]]], // SetCommands
  sunionstore: [2], // SetCommands
  sunsubscribe: [null], // PubsubCommands
  swapdb: [2], // Redis
  time: [0], // ServerCommands
  touch: [null], // GenericCommands
  transaction: [2, false, [[1, 'options', K41]]], // Redis
  ttl: [1], // GenericCommands
  type: [1], // GenericCommands
  unlink: [null], // GenericCommands
  unsubscribe: [null], // PubsubCommands
  unwatch: [0], // Redis
  wait: [2], // GenericCommands
  waitClosed: [0], // Redis
  watch: [null], // Redis
  xack: [null], // StreamCommands
  xadd: [3, false, [[2, 'options', K42]]], // StreamCommands
  xautoclaim: [6, false, [[5, 'options', K43]]], // StreamCommands
  xclaim: [6, false, [[5, 'options', K44]]], // StreamCommands
  xdel: [null], // StreamCommands
  xgroupCreate: [4, false, [[3, 'options', K45]]], // StreamCommands
  xgroupCreateconsumer: [3], // StreamCommands
  xgroupDelconsumer: [3], // StreamCommands
  xgroupDestroy: [2], // StreamCommands
  xgroupSetid: [4, false, [[3, 'options', K46]]], // StreamCommands
  xinfoConsumers: [2], // StreamCommands
  xinfoGroups: [1], // StreamCommands
  xinfoStream: [2, false, [[1, 'options', K47]]], // StreamCommands
  xlen: [1], // StreamCommands
  xpending: [2], // StreamCommands
  xpendingRange: [6, false, [[5, 'options', K48]]], // StreamCommands
  xrange: [4, false, [[3, 'options', K4]]], // StreamCommands
  xread: [2, false, [[1, 'options', K49]]], // StreamCommands
  xreadGroup: [4, false, [[3, 'options', K50]]], // StreamCommands
  xrevrange: [4, false, [[3, 'options', K4]]], // StreamCommands
  xsetid: [3, false, [[2, 'options', K51]]], // StreamCommands
  xtrim: [2, false, [[1, 'options', K52]]], // StreamCommands
  zadd: [
    4,
    false,
    [
      [2, 'memberOrOptions', K53, true],
      [3, 'lastOptions', K53],
    ],
  ], // SortedSetCommands
  zcard: [1], // SortedSetCommands
  zcount: [4, false, [[3, 'options', K54]]], // SortedSetCommands
  zdiff: [2, false, [[1, 'options', K55]]], // SortedSetCommands
  zdiffstore: [2], // SortedSetCommands
  zincrby: [3], // SortedSetCommands
  zinter: [2, false, [[1, 'options', K56]]], // SortedSetCommands
  zintercard: [2, false, [[1, 'options', K38]]], // SortedSetCommands
  zinterstore: [3, false, [[2, 'options', K57]]], // SortedSetCommands
  zlexcount: [4, false, [[3, 'options', K58]]], // SortedSetCommands
  zmpop: [3, false, [[2, 'options', K4]]], // SortedSetCommands
  zmscore: [2], // SortedSetCommands
  zpopmax: [3, false, [[2, 'options', K3]]], // SortedSetCommands
  zpopmin: [3, false, [[2, 'options', K3]]], // SortedSetCommands
  zrandmember: [2, false, [[1, 'options', K59]]], // SortedSetCommands
  zrange: [4, false, [[3, 'options', K55]]], // SortedSetCommands
  zrangebylex: [4, false, [[3, 'options', K60]]], // SortedSetCommands
  zrangebyscore: [4, false, [[3, 'options', K61]]], // SortedSetCommands
  zrangestore: [5, false, [[4, 'options', K62]]], // SortedSetCommands
  zrank: [2], // SortedSetCommands
  zrem: [null], // SortedSetCommands
  zremrangebylex: [4, false, [[3, 'options', K58]]], // SortedSetCommands
  zremrangebyrank: [3], // SortedSetCommands
  zremrangebyscore: [4, false, [[3, 'options', K54]]], // SortedSetCommands
  zrevrange: [4, false, [[3, 'options', K55]]], // SortedSetCommands
  zrevrangebylex: [4, false, [[3, 'options', K60]]], // SortedSetCommands
  zrevrangebyscore: [4, false, [[3, 'options', K61]]], // SortedSetCommands
  zrevrank: [2], // SortedSetCommands
  zscan: [3, false, [[2, 'options', K26]]], // SortedSetCommands
  zscore: [2], // SortedSetCommands
  zunion: [2, false, [[1, 'options', K56]]], // SortedSetCommands
  zunionstore: [3, false, [[2, 'options', K57]]], // SortedSetCommands
};
