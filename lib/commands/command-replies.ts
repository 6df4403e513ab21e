/**
 * The reply shapes of the COMMAND introspection commands (COMMAND, COMMAND INFO / DOCS /
 * GETKEYSANDFLAGS) and the parsers that make them, taken decoded as UTF-8, flat RESP2 arrays and
 * RESP3 maps alike. COMMAND DOCS keeps the server's names; COMMAND INFO, which the server only sends
 * by position, gets camelCase names here.
 *
 * @module
 */
import type { Reply } from '../protocol/reader';
import { fields, number, text, texts } from './server-replies';

/** One step of a key specification (COMMAND INFO), with the server's names. */
export interface KeySpecStep {
  /** `'index'`, `'keyword'`, `'range'`, `'keynum'` or `'unknown'`. */
  type: string;
  /** The step's parameters, e.g. `{ index: 1 }` or `{ keyword: 'STREAMS', startfrom: 1 }`. */
  spec: Record<string, string | number>;
}

/** How a command's keys are found (COMMAND INFO, Redis 7), with the server's names. */
export interface KeySpec {
  /** How the command uses the keys: `'RW'`, `'RO'`, `'OW'`, `'RM'`, `'access'`, `'update'`… */
  flags: string[];
  /** Where the search for the first key starts. */
  begin_search: KeySpecStep;
  /** How the keys are found from there. */
  find_keys: KeySpecStep;
  /** The server's remarks on this key specification. */
  notes?: string;
}

/** One command as COMMAND and COMMAND INFO describe it. */
export interface CommandInfo {
  /** Lowercase, `container|sub` for a subcommand. */
  name: string;
  /** Its number of arguments, the name included; negative: at least that many. */
  arity: number;
  /** Command flags: `'write'`, `'readonly'`, `'denyoom'`, `'noscript'`, `'blocking'`… */
  flags: string[];
  /** Where its first key is (0: none), its last (-1: the last argument) and the step between. */
  firstKey: number;
  /** The position of its last key; -1: the last argument, -2: the one before it. */
  lastKey: number;
  /** The step between its keys (2 for MSET's key, value, key, value). */
  step: number;
  /** ACL categories, `@read`, `@string`… (Redis 6). */
  aclCategories: string[];
  /** Hints for clients and proxies (Redis 7). */
  tips: string[];
  /** Redis 7. */
  keySpecs: KeySpec[];
  /** Redis 7. */
  subcommands: CommandInfo[];
}

/** The documentation of one command argument (COMMAND DOCS), with the server's names. */
export interface CommandArgumentDoc {
  /** The argument's name. */
  name: string;
  /** `'string'`, `'integer'`, `'key'`, `'pure-token'`, `'oneof'`, `'block'`… */
  type: string;
  /** How the command's syntax shows it. */
  display_text?: string;
  /** For a key: its index in the command's key specifications. */
  key_spec_index?: number;
  /** The keyword that comes before it, e.g. `'EX'`. */
  token?: string;
  /** What it does. */
  summary?: string;
  /** The Redis version that added it. */
  since?: string;
  /** `'optional'`, `'multiple'`, `'multiple_token'`. */
  flags?: string[];
  /** The Redis version that deprecated it. */
  deprecated_since?: string;
  /** The placeholder of its value, e.g. `'seconds'`. */
  value?: string;
  /** The arguments of a `oneof` or `block`. */
  arguments?: CommandArgumentDoc[];
}

/** The documentation of one command (COMMAND DOCS, Redis 7), with the server's names. */
export interface CommandDoc {
  /** What the command does. */
  summary?: string;
  /** The Redis version that added it. */
  since?: string;
  /** Its group: `'string'`, `'list'`, `'server'`, `'module'`… */
  group: string;
  /** Its time complexity, e.g. `'O(1)'`. */
  complexity?: string;
  /** The module that provides it. */
  module?: string;
  /** `'deprecated'`, `'syscmd'`. */
  doc_flags?: string[];
  /** The Redis version that deprecated it. */
  deprecated_since?: string;
  /** What to use instead of a deprecated command. */
  replaced_by?: string;
  /** How it changed: Redis version and change, oldest first. */
  history?: Array<[version: string, change: string]>;
  /** Its arguments, in order. */
  arguments?: CommandArgumentDoc[];
  /** A container command's subcommands, by name (`config|get`). */
  subcommands?: Record<string, CommandDoc>;
}

/** One COMMAND INFO entry; null for an unknown command. */
export function parseCommandInfo(reply: Reply): CommandInfo | null {
  if (!Array.isArray(reply)) return null;
  const [name, arity, flags, firstKey, lastKey, step, categories, tips, keySpecs, subcommands] =
    reply;
  return {
    name: text(name),
    arity: number(arity),
    flags: texts(flags),
    firstKey: number(firstKey),
    lastKey: number(lastKey),
    step: number(step),
    aclCategories: texts(categories),
    tips: texts(tips),
    keySpecs: Array.isArray(keySpecs) ? keySpecs.map(parseKeySpec) : [],
    subcommands: Array.isArray(subcommands)
      ? subcommands.map(parseCommandInfo).filter((sub): sub is CommandInfo => sub !== null)
      : [],
  };
}

/** COMMAND's entries. */
export function parseCommands(reply: Reply[]): CommandInfo[] {
  return reply.map(parseCommandInfo).filter((info): info is CommandInfo => info !== null);
}

function parseKeySpec(reply: Reply): KeySpec {
  const spec = fields(reply);
  const step = (item: Reply | undefined): KeySpecStep => {
    const { type, spec: detail } = fields(item);
    return { type: text(type), spec: fields(detail) as Record<string, string | number> };
  };
  const result: KeySpec = {
    flags: texts(spec.flags),
    begin_search: step(spec.begin_search),
    find_keys: step(spec.find_keys),
  };
  if (spec.notes !== undefined) result.notes = text(spec.notes);
  return result;
}

/** COMMAND DOCS's reply: command name → its documentation. */
export function parseCommandDocs(reply: Reply): Record<string, CommandDoc> {
  const docs: Record<string, CommandDoc> = {};
  for (const [name, doc] of Object.entries(fields(reply)))
    docs[name] = parseDoc(doc) as unknown as CommandDoc;
  return docs;
}

/** A command's or an argument's documentation: the nested lists and maps converted. */
function parseDoc(reply: Reply): Record<string, unknown> {
  const doc: Record<string, unknown> = fields(reply);
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'arguments') doc[key] = (value as Reply[]).map(parseDoc);
    else if (key === 'subcommands') doc[key] = parseCommandDocs(value as Reply);
    else if (key === 'doc_flags' || key === 'flags') doc[key] = texts(value as Reply);
    else if (key === 'history') doc[key] = (value as Reply[][]).map((entry) => entry.map(text));
  }
  return doc;
}

/** One key of a command as COMMAND GETKEYSANDFLAGS reports it. */
export interface KeyAndFlags<S> {
  /** The key, as the client's stored values are (`S`). */
  key: S;
  /** How the command uses it: `RW`, `RO`, `OW`, `RM`, `access`, `update`, `insert`, `delete`… */
  flags: string[];
}

/** COMMAND GETKEYSANDFLAGS's `[key, flags]` pairs as objects. */
export function parseKeysAndFlags<S>(reply: Array<[S, Reply[]]>): Array<KeyAndFlags<S>> {
  return reply.map(([key, flags]) => ({ key, flags: texts(flags) }));
}
