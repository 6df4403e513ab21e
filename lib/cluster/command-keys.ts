/**
 * What cluster routing needs to know of each command: its flags, its request/response policy, and
 * where its keys are. The table starts from `key-specs.ts` (generated from a real server's
 * `COMMAND INFO`) and takes commands learned at run time ({@link learnCommands}); both go through
 * the one parser of `command-info.ts`. Pure: no I/O.
 *
 * ```ts
 * const spec = commandSpec('XREAD', ['COUNT', 2, 'STREAMS', 'a', 'b', '0', '0']);
 * keyPositions(spec!, args); // [3, 4]: the keys are args[3] and args[4]
 * ```
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  CommandFlag,
  KeySpecFlag,
  parseCommandInfo,
  type CommandEntry,
  type KeySpecEntry,
  type RequestPolicy,
  type ResponsePolicy,
} from './command-info';
import { COMMAND_ENTRIES } from './key-specs';

export type {
  BeginSearch,
  CommandEntry,
  FindKeys,
  KeySpecEntry,
  RequestPolicy,
  ResponsePolicy,
} from './command-info';

/** What routing needs to know of one command (or one subcommand of a container command). */
export interface CommandSpec {
  /** Lowercase; `container|sub` for a subcommand (`'xinfo|stream'`). */
  readonly name: string;
  /** Flag `readonly`: may run on a replica. */
  readonly readonly: boolean;
  /** Flag `write`: must run on a master. */
  readonly write: boolean;
  /** Flag `blocking`: may block its connection. */
  readonly blocking: boolean;
  /** Flag `pubsub`: SUBSCRIBE, SSUBSCRIBE, PUBLISH, SPUBLISH… */
  readonly pubsub: boolean;
  /** Flag `movablekeys`: the keys depend on the arguments, not only on first/last/step. */
  readonly movableKeys: boolean;
  /** Flag `noscript`: not allowed in scripts. */
  readonly noscript: boolean;
  /** Flag `admin`: an administrative command. */
  readonly admin: boolean;
  /** The request policy tip: which nodes the command goes to when it has no keys. */
  readonly request: RequestPolicy | undefined;
  /** The response policy tip: how the replies of several nodes make one. */
  readonly response: ResponsePolicy | undefined;
  /** The key specifications, in the server's order (see {@link KeySpecEntry}). */
  readonly keySpecs: readonly KeySpecEntry[];
  /** The legacy first key position (1: the first argument; 0: no keys). */
  readonly firstKey: number;
  /** The legacy last key position; negative: counted from the end (-1: the last argument). */
  readonly lastKey: number;
  /** The legacy step between keys (2 for MSET's key, value, key, value…). */
  readonly step: number;
  /**
   * True when {@link keyPositions} may miss some keys of this command: a key specification is
   * `unknown` or `incomplete` (SORT's BY and GET patterns name keys only known at run time), or a
   * movable-keys command has no key specifications (a server before 7.0).
   */
  readonly incompleteKeys: boolean;
  /**
   * True when what {@link keyPositions} finds are sharded pub/sub channels (key specification
   * flag `not_key`: SPUBLISH, SSUBSCRIBE, SUNSUBSCRIBE), which are no keys but are routed by
   * their hash slot exactly as keys are.
   */
  readonly shardedChannels: boolean;
  /**
   * True when the command's one key is its first argument and it has no other (GET, SET, HSET…):
   * the fast path of routing, which needs no {@link keyPositions}.
   */
  readonly singleKey: boolean;
}

/** A spec with what only this module uses: the subcommands of a container command. */
interface TableSpec extends CommandSpec {
  /** By lowercase and uppercase name; undefined for a command that has none. */
  subcommands: Map<string, TableSpec> | undefined;
}

/**
 * Built-in commands whose keys the key specifications cannot tell exactly, as the server itself
 * finds them (with its own code, not with the specifications). `complete`: finds every key.
 */
const KEY_FINDERS = new Map<
  string,
  { complete: boolean; find: (args: readonly Arg[]) => number[] }
>([
  ['migrate', { complete: true, find: migrateKeys }],
  ['sort', { complete: false, find: sortKeys }],
]);

/** Commands learned at run time are kept up to this many, so a server cannot grow memory. */
export const MAX_LEARNED_COMMANDS = 1000;

/** Every command by lowercase and uppercase name; other cases are lowercased on lookup. */
const commands = new Map<string, TableSpec>();
/** Names stored by {@link learnCommands}, to count them against {@link MAX_LEARNED_COMMANDS}. */
const learned = new Set<string>();

install(COMMAND_ENTRIES, false);

/**
 * The routing facts of a command, resolving a container command (`XINFO`, `OBJECT`, `MEMORY`,
 * `SCRIPT`…) to its subcommand by `args[0]`. The name is matched case-insensitively.
 *
 * @param command The command's name, one word (`'XINFO'`, not `'XINFO STREAM'`).
 * @param args Its arguments, without the name (the subcommand, if any, first).
 * @returns undefined for an unknown command or subcommand: fetch `COMMAND INFO` for it (with
 *   `container|sub` for a subcommand) and pass the reply to {@link learnCommands}. A container
 *   without arguments gives the container's own spec.
 * @throws TypeError when `command` is not a string or holds a space.
 */
export function commandSpec(command: string, args: readonly Arg[]): CommandSpec | undefined {
  const spec = lookup(commands, command);
  if (spec?.subcommands === undefined || args.length === 0) return spec;
  const sub = args[0];
  return lookup(spec.subcommands, typeof sub === 'string' ? sub : String(sub));
}

function lookup(table: Map<string, TableSpec>, name: string): TableSpec | undefined {
  const exact = table.get(name);
  if (exact !== undefined) return exact;
  if (typeof name !== 'string') {
    throw new TypeError(`a command name must be a string, got ${typeof name}`);
  }
  const found = table.get(name.toLowerCase());
  if (found === undefined && name.includes(' ')) {
    throw new TypeError(
      `command name "${name}" holds a space: pass the subcommand as the first argument`,
    );
  }
  return found;
}

/**
 * Where the keys of a command are: indexes into `args` (the arguments without the command name,
 * so `GET k` gives `[0]`), ascending, without duplicates, from every key specification of `spec`
 * together. With {@link CommandSpec.shardedChannels} the positions are sharded channels.
 *
 * A position the arguments are too short for is left out: the server will reply with an arity
 * error. When {@link CommandSpec.incompleteKeys} is set, keys may be missing.
 *
 * @throws TypeError naming the command when a key count (`numkeys` of EVAL, ZUNION, LMPOP…) is
 *   not a non-negative integer or is larger than the arguments that follow it.
 */
export function keyPositions(spec: CommandSpec, args: readonly Arg[]): number[] {
  if (spec.movableKeys) {
    const finder = KEY_FINDERS.get(spec.name);
    if (finder !== undefined) return finder.find(args);
  }
  const positions: number[] = [];
  const specs = spec.keySpecs;
  let unknown = specs.length === 0;
  let added = 0; // key specifications that found keys: more than one needs sorting
  for (let i = 0; i < specs.length; i++) {
    const keySpec = specs[i] as KeySpecEntry;
    if (keySpec[0] === null || keySpec[1] === null) {
      unknown = true;
      continue;
    }
    const before = positions.length;
    addSpecKeys(spec, keySpec, args, positions);
    if (positions.length > before) added++;
  }
  if (unknown && spec.firstKey > 0) {
    const before = positions.length;
    addLegacyKeys(spec, args, positions);
    if (positions.length > before) added++;
  }
  return added > 1 ? sortUnique(positions) : positions;
}

/**
 * Adds the keys one complete key specification finds. Positions here count the command name as
 * 0, as the server's do; `argc` is the argument count with the name.
 */
function addSpecKeys(
  spec: CommandSpec,
  [begin, find]: KeySpecEntry,
  args: readonly Arg[],
  out: number[],
): void {
  const argc = args.length + 1;
  let first = 0;
  if (typeof begin === 'number') {
    first = begin;
  } else if (begin !== null) {
    const [keyword, startfrom] = begin;
    // Forwards, the last argument is not searched: a keyword there could have no key after it.
    // Backwards the search starts where it is told to, as the server's does.
    if (startfrom > 0) {
      for (let i = startfrom; i < argc - 1; i++) {
        if (isKeyword(args[i - 1] as Arg, keyword)) {
          first = i + 1;
          break;
        }
      }
    } else {
      for (let i = argc + startfrom; i >= 1; i--) {
        if (isKeyword(args[i - 1] as Arg, keyword)) {
          first = i + 1;
          break;
        }
      }
    }
    if (first === 0) return; // keyword absent: this specification has no keys here
  }
  if (find === null || first >= argc) return;
  let last: number;
  let step: number;
  if (find[0] === 'range') {
    const [, lastkey, keystep, limit] = find;
    if (lastkey >= 0) last = first + lastkey;
    else if (limit <= 1) last = argc + lastkey;
    // XREAD: the keys are the first half of what follows STREAMS, the IDs the second half.
    else last = first + Math.floor((argc - first) / limit) + lastkey;
    step = keystep;
  } else {
    const [, keynumidx, firstkey, keystep] = find;
    const at = first + keynumidx;
    if (at >= argc) return; // no key count at all: an arity error for the server to report
    const count = keyCount(spec, args[at - 1] as Arg, at);
    first += firstkey;
    last = first + (count - 1) * keystep;
    if (count > 0 && last >= argc) {
      throw new TypeError(
        `${displayName(spec)}: numkeys (argument ${at}) is ${count}, ` +
          `more than the ${Math.max(0, argc - first)} arguments after it`,
      );
    }
    step = keystep;
  }
  if (step < 1) return; // only a hand-made spec can hold one: it would never advance
  for (let i = first; i <= last && i < argc; i += step) out.push(i - 1);
}

/** The first/last/step range of a command without (known) key specifications. */
function addLegacyKeys(spec: CommandSpec, args: readonly Arg[], out: number[]): void {
  const argc = args.length + 1;
  if (spec.step < 1) return; // only a hand-made spec can hold one: it would never advance
  const last = spec.lastKey >= 0 ? spec.lastKey : argc + spec.lastKey;
  for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i - 1);
}

/** A key count argument as a non-negative integer; throws a TypeError naming the command. */
function keyCount(spec: CommandSpec, arg: Arg, at: number): number {
  let value = -1;
  if (typeof arg === 'number') {
    if (Number.isSafeInteger(arg) && arg >= 0) value = arg;
  } else if (arg.length > 0 && arg.length <= MAX_DIGITS) {
    const isString = typeof arg === 'string';
    value = 0;
    for (let i = 0; i < arg.length; i++) {
      const code = isString ? arg.charCodeAt(i) : (arg[i] as number);
      if (code < DIGIT_0 || code > DIGIT_9) {
        value = -1;
        break;
      }
      value = value * 10 + (code - DIGIT_0);
    }
  }
  if (value < 0) {
    throw new TypeError(
      `${displayName(spec)}: numkeys (argument ${at}) must be a non-negative integer`,
    );
  }
  return value;
}

const DIGIT_0 = 48; // '0'
const DIGIT_9 = 57; // '9'
/** Longer key counts could not be followed by that many arguments anyway. */
const MAX_DIGITS = 9;

/** Whether an argument is `keyword`, ignoring ASCII case, without allocating for strings and Buffers. */
function isKeyword(arg: Arg, keyword: string): boolean {
  if (typeof arg === 'number') return String(arg) === keyword;
  const length = keyword.length;
  if (arg.length !== length) return false;
  const isString = typeof arg === 'string';
  for (let i = 0; i < length; i++) {
    const code = isString ? arg.charCodeAt(i) : (arg[i] as number);
    if (upper(code) !== upper(keyword.charCodeAt(i))) return false;
  }
  return true;
}

/** An ASCII letter's upper-case code; any other code as it is. */
function upper(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

function sortUnique(positions: number[]): number[] {
  positions.sort(ascending);
  let kept = 0;
  for (let i = 0; i < positions.length; i++) {
    if (i === 0 || positions[i] !== positions[kept - 1]) positions[kept++] = positions[i] as number;
  }
  positions.length = kept;
  return positions;
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** `'XINFO STREAM'` for `'xinfo|stream'`: how a user writes the command. */
function displayName(spec: CommandSpec): string {
  return spec.name.replace('|', ' ').toUpperCase();
}

/**
 * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key…]:
 * with KEYS, the keys follow it and the key argument is an empty placeholder, not a key.
 */
function migrateKeys(args: readonly Arg[]): number[] {
  for (let i = 5; i < args.length; i++) {
    const arg = args[i] as Arg;
    if (isKeyword(arg, 'KEYS')) {
      const positions: number[] = [];
      for (let key = i + 1; key < args.length; key++) positions.push(key);
      return positions;
    }
    if (isKeyword(arg, 'AUTH')) i += 1;
    else if (isKeyword(arg, 'AUTH2')) i += 2;
  }
  return args.length > 2 ? [2] : [];
}

/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern…] [ASC|DESC] [ALPHA] [STORE dest]:
 * the key, and the destination of the last STORE. Options' values are skipped, so a pattern or
 * offset that reads `STORE` is not taken for the option.
 */
function sortKeys(args: readonly Arg[]): number[] {
  if (args.length === 0) return [];
  let store = -1;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as Arg;
    if (isKeyword(arg, 'LIMIT')) i += 2;
    else if (isKeyword(arg, 'BY') || isKeyword(arg, 'GET')) i += 1;
    else if (isKeyword(arg, 'STORE') && i + 1 < args.length) store = ++i;
  }
  return store === -1 ? [0] : [0, store];
}

/**
 * Adds or replaces commands from a `COMMAND INFO` reply (as a connection returns it: RESP2 arrays
 * or RESP3 maps, strings or Buffers), subcommands included. At most
 * {@link MAX_LEARNED_COMMANDS} commands are learned over the process's life; further ones are
 * ignored. Malformed entries are skipped: never throws.
 */
export function learnCommands(reply: unknown): void {
  install(parseCommandInfo(reply), true);
}

/**
 * @internal Forgets every learned command, so the table is the generated one again (for tests,
 * which share one process and so one table).
 */
export function forgetLearnedCommands(): void {
  commands.clear();
  learned.clear();
  install(COMMAND_ENTRIES, false);
}

/** Puts entries into the table; subcommands after their containers, whatever the order. */
function install(entries: readonly CommandEntry[], counted: boolean): void {
  const subcommands: CommandEntry[] = [];
  for (const entry of entries) {
    if (entry[0].includes('|')) {
      subcommands.push(entry);
      continue;
    }
    if (counted && !admit(entry[0])) continue;
    const spec = toSpec(entry);
    // A container learned again keeps the subcommands it had, unless the reply replaces them.
    spec.subcommands = commands.get(entry[0])?.subcommands;
    setBoth(commands, entry[0], spec);
  }
  for (const entry of subcommands) {
    const bar = entry[0].indexOf('|');
    const containerName = entry[0].slice(0, bar);
    const subName = entry[0].slice(bar + 1);
    if (subName.length === 0 || subName.includes('|')) continue;
    if (counted && !admit(entry[0])) continue;
    let container = commands.get(containerName);
    if (container === undefined) {
      if (counted && !admit(containerName)) continue;
      container = toSpec([containerName, 0, 0, 0, 0, [], '', '']);
      setBoth(commands, containerName, container);
    }
    container.subcommands ??= new Map();
    setBoth(container.subcommands, subName, toSpec(entry));
  }
}

/** Whether one more learned name fits under the limit (a name learned before always does). */
function admit(name: string): boolean {
  if (learned.has(name)) return true;
  if (learned.size >= MAX_LEARNED_COMMANDS) return false;
  learned.add(name);
  return true;
}

function setBoth(table: Map<string, TableSpec>, name: string, spec: TableSpec): void {
  table.set(name, spec);
  table.set(name.toUpperCase(), spec);
}

/** A key specification that finds exactly one key, the first argument. */
function isFirstArgumentOnly(keySpec: KeySpecEntry | undefined): boolean {
  if (keySpec === undefined) return false;
  const [begin, find] = keySpec;
  return begin === 1 && find !== null && find[0] === 'range' && find[1] === 0;
}

function toSpec([
  name,
  flags,
  firstKey,
  lastKey,
  step,
  keySpecs,
  request,
  response,
]: CommandEntry): TableSpec {
  const movableKeys = (flags & CommandFlag.movablekeys) !== 0;
  let incomplete = movableKeys && keySpecs.length === 0;
  let channels = keySpecs.length > 0;
  for (const [begin, find, specFlags] of keySpecs) {
    if (begin === null || find === null || (specFlags & KeySpecFlag.incomplete) !== 0) {
      incomplete = true;
    }
    if ((specFlags & KeySpecFlag.notKey) === 0) channels = false;
  }
  const finder = movableKeys ? KEY_FINDERS.get(name) : undefined;
  if (finder !== undefined) incomplete = !finder.complete;
  return {
    name,
    readonly: (flags & CommandFlag.readonly) !== 0,
    write: (flags & CommandFlag.write) !== 0,
    blocking: (flags & CommandFlag.blocking) !== 0,
    pubsub: (flags & CommandFlag.pubsub) !== 0,
    movableKeys,
    noscript: (flags & CommandFlag.noscript) !== 0,
    admin: (flags & CommandFlag.admin) !== 0,
    request: request === '' ? undefined : request,
    response: response === '' ? undefined : response,
    keySpecs,
    firstKey,
    lastKey,
    step,
    incompleteKeys: incomplete,
    shardedChannels: channels,
    singleKey: !movableKeys && keySpecs.length === 1 && isFirstArgumentOnly(keySpecs[0]),
    subcommands: undefined,
  };
}
