/**
 * Every command group, and how their methods get onto a client: stateless classes whose methods
 * are copied onto Redis (and onto pipelines and transactions, wrapped), with declaration merging
 * for the types. A name defined twice is a mistake, so it fails loudly at load time.
 *
 * @module
 */
import { AclCommands } from './acl';
import { ClientCommands } from './client';
import { ClusterCommands } from './cluster';
import { guarded } from './guard';
import { ConnectionCommands } from './connection';
import { GenericCommands } from './generic';
import { GeoCommands } from './geo';
import { HashCommands } from './hash';
import { HyperLogLogCommands } from './hyperloglog';
import { ListCommands } from './list';
import { PubsubCommands } from './pubsub';
import { ScriptingCommands } from './scripting';
import { ServerCommands } from './server';
import { SetCommands } from './set';
import { SortedSetCommands } from './sorted-set';
import { StreamCommands } from './stream';
import { StringCommands } from './string';

/** The command groups every client has, in the order their methods are copied in. */
export const COMMAND_GROUPS = [
  ConnectionCommands,
  GenericCommands,
  StringCommands,
  HashCommands,
  ListCommands,
  SetCommands,
  SortedSetCommands,
  HyperLogLogCommands,
  GeoCommands,
  StreamCommands,
  ScriptingCommands,
  ServerCommands,
  AclCommands,
  ClientCommands,
  PubsubCommands,
  ClusterCommands,
] as const;

/** Every group's methods, for declaration merging onto a class that mixes them in. */
export interface AllCommands<S>
  extends
    ConnectionCommands<S>,
    GenericCommands<S>,
    StringCommands<S>,
    HashCommands<S>,
    ListCommands<S>,
    SetCommands<S>,
    SortedSetCommands<S>,
    HyperLogLogCommands<S>,
    GeoCommands<S>,
    StreamCommands<S>,
    ScriptingCommands<S>,
    ServerCommands<S>,
    AclCommands<S>,
    ClientCommands<S>,
    PubsubCommands<S>,
    ClusterCommands<S> {}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Copies the methods of `groups` onto `target`'s prototype, each of redmux's own groups behind its
 * argument check (see ./guard.ts), then passed through `wrap` when given (pipelines record every
 * call).
 */
export function mixCommands(
  target: abstract new (...args: never[]) => unknown,
  groups: ReadonlyArray<abstract new (...args: never[]) => unknown>,
  wrap?: (method: Method, name: string) => Method,
): void {
  const owner = new Map<string, string>();
  for (const group of groups) {
    for (const name of Object.getOwnPropertyNames(group.prototype)) {
      if (name === 'constructor') continue;
      const previous = owner.get(name);
      if (previous !== undefined)
        throw new Error(`${name} is defined by ${previous} and ${group.name}`);
      if (Object.prototype.hasOwnProperty.call(target.prototype, name)) {
        throw new Error(`${group.name}.${name} would replace ${target.name}.${name}`);
      }
      owner.set(name, group.name);
      const descriptor = Object.getOwnPropertyDescriptor(
        group.prototype,
        name,
      ) as PropertyDescriptor;
      if (typeof descriptor.value === 'function') {
        // The argument check comes first: a refused call queues nothing, and a batch still reports it.
        const method = descriptor.value as Method;
        const checked = isCommandGroup(group) ? guarded(name, method) : method;
        descriptor.value = wrap === undefined ? checked : wrap(checked, name);
      }
      Object.defineProperty(target.prototype, name, descriptor);
    }
  }
}

/** Whether `group` is one of redmux's own groups, whose methods the generated table describes. */
function isCommandGroup(group: unknown): boolean {
  return (COMMAND_GROUPS as readonly unknown[]).includes(group);
}
