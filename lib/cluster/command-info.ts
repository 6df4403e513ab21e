/**
 * The one parser of `COMMAND INFO` replies for cluster routing: it keeps what routing needs of each
 * command (flags, request/response policy tips, key specifications) as compact tuples. The
 * generated table in `key-specs.ts` is this parser's output on a real server's reply, and commands
 * learned at run time go through it too, so both read the same shape the same way.
 *
 * The parser never throws: a malformed entry (or part of one) is skipped. Names are only ever used
 * as Map keys, so a server cannot pollute prototypes with a command called `__proto__`.
 *
 * @module
 */

/** Bits of {@link CommandEntry}'s flags: the command flags routing needs. */
export const CommandFlag = {
  /** `readonly`: may run on a replica. */
  readonly: 1,
  /** `write`: changes data; must run on a master. */
  write: 2,
  /** `blocking`: may block the connection. */
  blocking: 4,
  /** `movablekeys`: first/last/step do not tell all the keys. */
  movablekeys: 8,
  /** `pubsub`: a publish/subscribe command. */
  pubsub: 16,
  /** `noscript`: not allowed in scripts. */
  noscript: 32,
  /** `admin`: an administrative command. */
  admin: 64,
} as const;

/** Bits of a {@link KeySpecEntry}'s flags: the key specification flags routing needs. */
export const KeySpecFlag = {
  /** `not_key`: the argument is no key but is routed as one (a sharded pub/sub channel). */
  notKey: 1,
  /** `incomplete`: the specification may miss keys, or find arguments that are no keys. */
  incomplete: 2,
} as const;

/** Where the keys start: an argument index (1 = the first argument after the name), a keyword
 * searched from `startfrom` (negative: that far from the end, searching backwards), or null for
 * `unknown`. */
export type BeginSearch = number | readonly [keyword: string, startfrom: number] | null;

/**
 * How the keys go on from where they start: `range` (`lastkey` relative to the start, negative
 * from the end; `limit` > 1: only the first 1/limit of the remaining arguments), `keynum` (the key
 * count is at `keynumidx` after the start, the first key at `firstkey` after the start), or null
 * for `unknown`.
 */
export type FindKeys =
  | readonly ['range', lastkey: number, keystep: number, limit: number]
  | readonly ['keynum', keynumidx: number, firstkey: number, keystep: number]
  | null;

/** One key specification: begin_search, find_keys, and {@link KeySpecFlag} bits. */
export type KeySpecEntry = readonly [begin: BeginSearch, find: FindKeys, flags: number];

/** The request policy tips (`request_policy:…`) of Redis 7. */
export type RequestPolicy = 'all_nodes' | 'all_shards' | 'multi_shard' | 'special';

/** The response policy tips (`response_policy:…`) of Redis 7. */
export type ResponsePolicy =
  | 'one_succeeded'
  | 'all_succeeded'
  | 'agg_logical_and'
  | 'agg_logical_or'
  | 'agg_min'
  | 'agg_max'
  | 'agg_sum'
  | 'special';

/**
 * One command as routing needs it, in the compact form `key-specs.ts` stores: lowercase name
 * (`container|sub` for a subcommand), {@link CommandFlag} bits, the legacy first key / last key /
 * step, the key specifications, and the request and response policies (`''`: none).
 */
export type CommandEntry = readonly [
  name: string,
  flags: number,
  firstKey: number,
  lastKey: number,
  step: number,
  keySpecs: readonly KeySpecEntry[],
  request: RequestPolicy | '',
  response: ResponsePolicy | '',
];

const REQUEST_POLICIES: ReadonlySet<string> = new Set<RequestPolicy>([
  'all_nodes',
  'all_shards',
  'multi_shard',
  'special',
]);
const RESPONSE_POLICIES: ReadonlySet<string> = new Set<ResponsePolicy>([
  'one_succeeded',
  'all_succeeded',
  'agg_logical_and',
  'agg_logical_or',
  'agg_min',
  'agg_max',
  'agg_sum',
  'special',
]);
const COMMAND_FLAGS = new Map<string, number>(Object.entries(CommandFlag));

/** Longer names, keywords and lists than these are not real commands: the entry is skipped. */
const MAX_NAME_LENGTH = 128;
const MAX_KEY_SPECS = 32;
const MAX_SUBCOMMANDS = 256;

/**
 * The entries of a `COMMAND INFO` (or `COMMAND`) reply: RESP2 arrays or RESP3 maps, strings as
 * strings or Buffers. Subcommands follow their container as entries of their own, named
 * `container|sub`. Malformed entries are skipped; never throws.
 */
export function parseCommandInfo(reply: unknown): CommandEntry[] {
  const entries: CommandEntry[] = [];
  if (!Array.isArray(reply)) return entries;
  for (const item of reply) parseEntry(item, entries, 0);
  return entries;
}

/** Parses one command and, below the top level only once, its subcommands into `out`. */
function parseEntry(item: unknown, out: CommandEntry[], depth: number): void {
  if (!Array.isArray(item)) return; // null: COMMAND INFO of an unknown name
  const name = text(item[0])?.toLowerCase();
  if (name === undefined || name.length === 0 || name.length > MAX_NAME_LENGTH) return;
  if (/\s/.test(name)) return;
  let flags = 0;
  for (const flag of list(item[2])) flags |= COMMAND_FLAGS.get(text(flag) ?? '') ?? 0;
  const firstKey = integer(item[3]) ?? 0;
  const lastKey = integer(item[4]) ?? 0;
  const step = integer(item[5]) ?? 0;
  // A command without a valid legacy range gets none, rather than a loop that never advances.
  const legacy = firstKey > 0 && step > 0;
  let request: RequestPolicy | '' = '';
  let response: ResponsePolicy | '' = '';
  for (const tip of list(item[7])) {
    const value = text(tip);
    if (value?.startsWith('request_policy:')) {
      const policy = value.slice('request_policy:'.length);
      if (REQUEST_POLICIES.has(policy)) request = policy as RequestPolicy;
    } else if (value?.startsWith('response_policy:')) {
      const policy = value.slice('response_policy:'.length);
      if (RESPONSE_POLICIES.has(policy)) response = policy as ResponsePolicy;
    }
  }
  const keySpecs: KeySpecEntry[] = [];
  for (const spec of list(item[8]).slice(0, MAX_KEY_SPECS)) keySpecs.push(parseKeySpec(spec));
  out.push([
    name,
    flags,
    legacy ? firstKey : 0,
    legacy ? lastKey : 0,
    legacy ? step : 0,
    keySpecs,
    request,
    response,
  ]);
  if (depth > 0) return; // subcommands have no subcommands of their own
  for (const sub of list(item[9]).slice(0, MAX_SUBCOMMANDS)) {
    const before = out.length;
    parseEntry(sub, out, depth + 1);
    const added = out[before];
    // A subcommand must be named `container|sub`; anything else would overwrite a real command.
    if (added !== undefined && !added[0].startsWith(`${name}|`)) out.length = before;
  }
}

/** One key specification; a malformed or unknown step becomes null (unknown), never an error. */
function parseKeySpec(spec: unknown): KeySpecEntry {
  const fields = toMap(spec);
  let flags = 0;
  for (const flag of list(fields.get('flags'))) {
    const value = text(flag);
    if (value === 'not_key') flags |= KeySpecFlag.notKey;
    else if (value === 'incomplete') flags |= KeySpecFlag.incomplete;
  }
  return [parseBegin(fields.get('begin_search')), parseFind(fields.get('find_keys')), flags];
}

function parseBegin(step: unknown): BeginSearch {
  const fields = toMap(step);
  const detail = toMap(fields.get('spec'));
  switch (text(fields.get('type'))) {
    case 'index': {
      const index = integer(detail.get('index'));
      return index !== undefined && index > 0 ? index : null;
    }
    case 'keyword': {
      const keyword = text(detail.get('keyword'));
      const startfrom = integer(detail.get('startfrom'));
      if (keyword === undefined || keyword.length === 0 || keyword.length > MAX_NAME_LENGTH) {
        return null;
      }
      return startfrom !== undefined && startfrom !== 0 ? [keyword, startfrom] : null;
    }
    default:
      return null;
  }
}

function parseFind(step: unknown): FindKeys {
  const fields = toMap(step);
  const detail = toMap(fields.get('spec'));
  switch (text(fields.get('type'))) {
    case 'range': {
      const lastkey = integer(detail.get('lastkey'));
      const keystep = integer(detail.get('keystep'));
      const limit = integer(detail.get('limit')) ?? 0;
      if (lastkey === undefined || keystep === undefined || keystep < 1 || limit < 0) return null;
      return ['range', lastkey, keystep, limit];
    }
    case 'keynum': {
      const keynumidx = integer(detail.get('keynumidx'));
      const firstkey = integer(detail.get('firstkey'));
      const keystep = integer(detail.get('keystep'));
      if (keynumidx === undefined || keynumidx < 0) return null;
      if (firstkey === undefined || firstkey < 1 || keystep === undefined || keystep < 1) {
        return null;
      }
      return ['keynum', keynumidx, firstkey, keystep];
    }
    default:
      return null;
  }
}

/** A string or Buffer reply item as text; undefined for anything else. */
function text(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (Buffer.isBuffer(item)) return item.toString('utf8');
  return undefined;
}

/** An integer reply item (or its decimal text) within ±2^31; undefined for anything else. */
function integer(item: unknown): number | undefined {
  let value: number;
  if (typeof item === 'number') value = item;
  else if (typeof item === 'bigint') value = Number(item);
  else {
    const digits = text(item);
    if (digits === undefined || !/^-?\d{1,10}$/.test(digits)) return undefined;
    value = Number(digits);
  }
  return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? value : undefined;
}

function list(item: unknown): readonly unknown[] {
  return Array.isArray(item) ? item : [];
}

/** A RESP3 map or a RESP2 flat `[name, value, …]` array as a Map by name; empty for anything else. */
function toMap(item: unknown): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  if (item instanceof Map) {
    for (const [key, value] of item) {
      const name = text(key);
      if (name !== undefined) fields.set(name, value);
    }
  } else if (Array.isArray(item)) {
    for (let i = 0; i + 1 < item.length; i += 2) {
      const name = text(item[i]);
      if (name !== undefined) fields.set(name, item[i + 1]);
    }
  }
  return fields;
}
