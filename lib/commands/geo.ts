/**
 * Geo commands (aioredis 1.x `commands/geo.py`, camelCase), plus GEOSEARCH and GEOSEARCHSTORE
 * (Redis 6.2), the read-only GEORADIUS_RO / GEORADIUSBYMEMBER_RO (for replicas) and GEOADD's
 * NX / XX / CH. Coordinates are `{ longitude, latitude }` and distances numbers; a radius query
 * resolves with plain members, or with {@link GeoMember} objects (1.x's namedtuples) when it asks
 * for distances, hashes or coordinates.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  asIs,
  deadline,
  type Bulk,
  Commands,
  type Decode,
  invalid,
  isInteger,
  type ReadOptions,
  readShaped,
  toNumber,
  toNumberOrNull,
} from './base';

/** A distance unit: meters, kilometers, miles or feet. */
export type GeoUnit = 'm' | 'km' | 'mi' | 'ft';

/** A position, in degrees. */
export interface GeoPoint {
  /** Degrees east, -180 to 180. */
  longitude: number;
  /** Degrees north, -85.05112878 to 85.05112878 (what Redis can index). */
  latitude: number;
}

/** One result of a geo query that asked for more than the member (aioredis 1.x `GeoMember`). */
export interface GeoMember<M> {
  /** The member's name. */
  member: M;
  /** Distance from the center, in the query's unit (`withDist`). */
  dist?: number;
  /** The member's 52-bit geohash, the sorted-set score (`withHash`). */
  hash?: number;
  /** The member's position (`withCoord`). */
  coord?: GeoPoint;
}

/** Options of {@link GeoCommands.geoadd} (Redis 6.2). */
export interface GeoAddOptions {
  /** `'NX'`: only add new members; `'XX'`: only move existing ones. Default: both. */
  exist?: 'NX' | 'XX';
  /** Count moved members too, not only added ones (CH). Default false. */
  changed?: boolean;
}

/** How many results of a geo query, in which order. */
export interface GeoLimitOptions {
  /** `'ASC'`: nearest first; `'DESC'`: farthest first. Default: unsorted. */
  sort?: 'ASC' | 'DESC';
  /** At most this many results (an integer > 0). Default: all. */
  count?: number;
  /**
   * With `count`: stop at the first `count` matches found, not the nearest ones (Redis 6.2).
   * Default false.
   */
  any?: boolean;
}

/** Options of the geo queries that return members. */
export interface GeoQueryOptions extends GeoLimitOptions, ReadOptions {
  /** Also return each member's distance from the center. Default false. */
  withDist?: boolean;
  /** Also return each member's geohash. Default false. */
  withHash?: boolean;
  /** Also return each member's position. Default false. */
  withCoord?: boolean;
}

/** Options of {@link GeoCommands.georadius} and {@link GeoCommands.georadiusbymember}. */
export interface GeoRadiusOptions extends GeoQueryOptions {
  /**
   * Store the members in this sorted set (scored by geohash) instead; resolves with their number.
   * Default: resolve with the members.
   */
  store?: Arg;
  /**
   * Store the members in this sorted set scored by distance instead; resolves with their number.
   * Default: resolve with the members.
   */
  storeDist?: Arg;
}

/** Options of {@link GeoCommands.geosearchstore}. */
export interface GeoSearchStoreOptions extends GeoLimitOptions {
  /** Score the stored members by their distance from the center, not by geohash. Default false. */
  storeDist?: boolean;
}

/** The center of a GEOSEARCH: a member of the set, or a position `[longitude, latitude]`. */
export type GeoSearchFrom =
  { fromMember: Arg } | { fromLonLat: [longitude: number, latitude: number] };

/** The area of a GEOSEARCH: a circle `[radius, unit]` or a box `[width, height, unit]`. */
export type GeoSearchBy =
  | { byRadius: [radius: number, unit: GeoUnit] }
  | { byBox: [width: number, height: number, unit: GeoUnit] };

/** A query's result with the fields it asked for (`withDist: true` → `dist: number`…). */
export type GeoResult<O, S> = GeoMember<Bulk<O, S>> &
  Required<
    Pick<
      GeoMember<Bulk<O, S>>,
      | (O extends { withDist: true } ? 'dist' : never)
      | (O extends { withHash: true } ? 'hash' : never)
      | (O extends { withCoord: true } ? 'coord' : never)
    >
  >;

/** What a geo query resolves with: members, or {@link GeoMember}s when it asked for more. */
export type GeoReply<O, S> = O extends { withDist: true } | { withHash: true } | { withCoord: true }
  ? Array<GeoResult<O, S>>
  : true extends WithFlags<O>
    ? Array<Bulk<O, S>> | Array<GeoMember<Bulk<O, S>>> // a flag only known to be a boolean
    : Array<Bulk<O, S>>;

/** The types of the WITH* options `O` has (never when none). */
type WithFlags<O> = O extends object
  ? O[Extract<'withDist' | 'withHash' | 'withCoord', keyof O>]
  : undefined;

/** What GEORADIUS resolves with: the number of members stored with `store`, else {@link GeoReply}. */
export type GeoRadiusReply<O, S> = O extends { store: Arg } | { storeDist: Arg }
  ? number
  : GeoReply<O, S>;

/** A geo query's reply items: the member, then its distance, hash and position as asked. */
type RawGeoItem = Array<string | Buffer | number | [string | Buffer, string | Buffer]>;

export abstract class GeoCommands<S = Buffer> extends Commands<S> {
  /**
   * GEOADD: adds `[longitude, latitude, member]` entries (or one entry as three arguments);
   * resolves with the number added (also moved, with `changed`).
   */
  geoadd(
    key: Arg,
    entries: Array<[longitude: number, latitude: number, member: Arg]>,
    options?: GeoAddOptions,
  ): Promise<number>;
  /** GEOADD of one member: `geoadd(key, 13.36, 38.11, 'Palermo')`. */
  geoadd(
    key: Arg,
    longitude: number,
    latitude: number,
    member: Arg,
    options?: GeoAddOptions,
  ): Promise<number>;
  geoadd(
    key: Arg,
    entriesOrLongitude: Array<[number, number, Arg]> | number,
    latitudeOrOptions?: number | GeoAddOptions,
    member?: Arg,
    options?: GeoAddOptions,
  ): Promise<number> {
    const single = typeof entriesOrLongitude === 'number';
    const entries = single ? [[entriesOrLongitude, latitudeOrOptions, member]] : entriesOrLongitude;
    const { exist, changed } = (single ? options : (latitudeOrOptions as GeoAddOptions)) ?? {};
    if (!Array.isArray(entries) || entries.length === 0) {
      return invalid('geoadd() needs [longitude, latitude, member] entries, not empty');
    }
    const args: unknown[] = [key];
    if (exist !== undefined) {
      if (exist !== 'NX' && exist !== 'XX') return invalid("geoadd() exist must be 'NX' or 'XX'");
      args.push(exist);
    }
    if (changed) args.push('CH');
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 3) {
        return invalid('geoadd() entries must be [longitude, latitude, member]');
      }
      const error = checkPosition('geoadd()', entry[0], entry[1]);
      if (error) return Promise.reject(error);
      args.push(...entry);
    }
    return this.execute('GEOADD', ...(args as Arg[]));
  }

  /** GEODIST: the distance between two members in `unit` (default meters); null if one is missing. */
  geodist(key: Arg, member1: Arg, member2: Arg, unit: GeoUnit = 'm'): Promise<number | null> {
    if (!GEO_UNITS.has(unit)) return invalid(unitMessage('geodist()'));
    return this.executeWith<string | null>(
      { encoding: 'utf8' },
      'GEODIST',
      key,
      member1,
      member2,
      unit,
    ).then(toNumberOrNull);
  }

  /** GEOHASH: the members' 11-character geohash strings, null for a missing member. */
  geohash(key: Arg, member: Arg, ...members: Arg[]): Promise<Array<string | null>> {
    return this.executeWith({ encoding: 'utf8' }, 'GEOHASH', key, member, ...members);
  }

  /** GEOPOS: the members' positions, null for a missing member. */
  geopos(key: Arg, member: Arg, ...members: Arg[]): Promise<Array<GeoPoint | null>> {
    return this.executeWith<Array<[string, string] | null>>(
      { encoding: 'utf8' },
      'GEOPOS',
      key,
      member,
      ...members,
    ).then(toGeoPoints);
  }

  /**
   * GEORADIUS: the members within `radius` of a position, as members or {@link GeoMember}s; with
   * `store` / `storeDist`, the number of members stored instead.
   */
  georadius<O extends GeoRadiusOptions | undefined = undefined>(
    key: Arg,
    longitude: number,
    latitude: number,
    radius: number,
    unit: GeoUnit,
    options?: O,
  ): Promise<GeoRadiusReply<O, S>> {
    const args = radiusArgs('georadius()', [key, longitude, latitude], radius, unit, options);
    if (args instanceof Error) return Promise.reject(args);
    if (stores(options)) return this.read(deadline(options), 'GEORADIUS', ...args);
    return readShaped(this, options, geoMembers(options), 'GEORADIUS', ...args);
  }

  /** GEORADIUS_RO: {@link georadius} without `store`, allowed on read-only replicas. */
  georadiusRo<O extends GeoQueryOptions | undefined = undefined>(
    key: Arg,
    longitude: number,
    latitude: number,
    radius: number,
    unit: GeoUnit,
    options?: O,
  ): Promise<GeoReply<O, S>> {
    const args = radiusArgs('georadiusRo()', [key, longitude, latitude], radius, unit, options);
    if (args instanceof Error) return Promise.reject(args);
    return readShaped(this, options, geoMembers(options), 'GEORADIUS_RO', ...args);
  }

  /** GEORADIUSBYMEMBER: {@link georadius} around a member of the set. */
  georadiusbymember<O extends GeoRadiusOptions | undefined = undefined>(
    key: Arg,
    member: Arg,
    radius: number,
    unit: GeoUnit,
    options?: O,
  ): Promise<GeoRadiusReply<O, S>> {
    const args = radiusArgs('georadiusbymember()', [key, member], radius, unit, options);
    if (args instanceof Error) return Promise.reject(args);
    if (stores(options)) return this.read(deadline(options), 'GEORADIUSBYMEMBER', ...args);
    return readShaped(this, options, geoMembers(options), 'GEORADIUSBYMEMBER', ...args);
  }

  /** GEORADIUSBYMEMBER_RO: {@link georadiusbymember} without `store`, allowed on replicas. */
  georadiusbymemberRo<O extends GeoQueryOptions | undefined = undefined>(
    key: Arg,
    member: Arg,
    radius: number,
    unit: GeoUnit,
    options?: O,
  ): Promise<GeoReply<O, S>> {
    const args = radiusArgs('georadiusbymemberRo()', [key, member], radius, unit, options);
    if (args instanceof Error) return Promise.reject(args);
    return readShaped(this, options, geoMembers(options), 'GEORADIUSBYMEMBER_RO', ...args);
  }

  /** GEOSEARCH (Redis 6.2): the members in a circle or box around a member or position. */
  geosearch<O extends GeoQueryOptions | undefined = undefined>(
    key: Arg,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: O,
  ): Promise<GeoReply<O, S>> {
    const area = searchArgs('geosearch()', from, by, options);
    if (area instanceof Error) return Promise.reject(area);
    const flags = withArgs(options);
    return readShaped(this, options, geoMembers(options), 'GEOSEARCH', key, ...area, ...flags);
  }

  /** GEOSEARCHSTORE (Redis 6.2): stores {@link geosearch}'s members in `dest`; resolves with their number. */
  geosearchstore(
    dest: Arg,
    src: Arg,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchStoreOptions,
  ): Promise<number> {
    const area = searchArgs('geosearchstore()', from, by, options);
    if (area instanceof Error) return Promise.reject(area);
    const storeDist = options?.storeDist ? ['STOREDIST'] : [];
    return this.execute('GEOSEARCHSTORE', dest, src, ...area, ...storeDist);
  }
}

const GEO_UNITS: ReadonlySet<unknown> = new Set(['m', 'km', 'mi', 'ft']);

function unitMessage(name: string): string {
  return `${name} unit must be 'm', 'km', 'mi' or 'ft'`;
}

// The server's limits (EPSG:900913 / Web Mercator): it refuses positions outside them.
const LONGITUDE_MAX = 180;
const LATITUDE_MAX = 85.05112878;

/** A TypeError or RangeError when `longitude` / `latitude` is not a position the server takes. */
function checkPosition(name: string, longitude: unknown, latitude: unknown): Error | undefined {
  if (typeof longitude !== 'number' || typeof latitude !== 'number') {
    return new TypeError(`${name} longitude and latitude must be numbers`);
  }
  if (!(Math.abs(longitude) <= LONGITUDE_MAX) || !(Math.abs(latitude) <= LATITUDE_MAX)) {
    return new RangeError(
      `${name} longitude must be within ±${LONGITUDE_MAX} and latitude within ±${LATITUDE_MAX}`,
    );
  }
  return undefined;
}

/**
 * The arguments of a GEORADIUS variant after the command: the center, radius, unit, WITH* flags,
 * limits and STORE / STOREDIST; or the error that refuses them.
 */
function radiusArgs(
  name: string,
  center: Arg[],
  radius: number,
  unit: GeoUnit,
  options: GeoRadiusOptions | undefined,
): Arg[] | Error {
  // [key, longitude, latitude] is a position to check; [key, member] needs no check.
  if (center.length === 3) {
    const error = checkPosition(name, center[1], center[2]);
    if (error) return error;
  }
  if (typeof radius !== 'number' || !(radius >= 0) || radius === Infinity) {
    return new RangeError(`${name} radius must be a finite number ≥ 0`);
  }
  if (!GEO_UNITS.has(unit)) return new TypeError(unitMessage(name));
  const limit = limitArgs(name, options);
  if (limit instanceof Error) return limit;
  const args = [...center, radius, unit, ...withArgs(options), ...limit];
  const { store, storeDist } = options ?? {};
  if (store === undefined && storeDist === undefined) return args;
  if (store !== undefined && storeDist !== undefined) {
    return new TypeError(`${name} takes one of store and storeDist`);
  }
  if (options?.withDist || options?.withHash || options?.withCoord) {
    return new TypeError(`${name} store and storeDist exclude withDist, withHash and withCoord`);
  }
  return store !== undefined ? [...args, 'STORE', store] : [...args, 'STOREDIST', storeDist as Arg];
}

/** Whether a GEORADIUS stores its result (and so resolves with a count). */
function stores(options: GeoRadiusOptions | undefined): boolean {
  return options?.store !== undefined || options?.storeDist !== undefined;
}

/** The WITH* flags asked for. */
function withArgs(options: GeoQueryOptions | undefined): Arg[] {
  const args: Arg[] = [];
  if (options?.withCoord) args.push('WITHCOORD');
  if (options?.withDist) args.push('WITHDIST');
  if (options?.withHash) args.push('WITHHASH');
  return args;
}

/** SORT / COUNT / ANY as arguments, or the error that refuses them. */
function limitArgs(name: string, options: GeoLimitOptions | undefined): Arg[] | Error {
  const args: Arg[] = [];
  const { sort, count, any } = options ?? {};
  if (count !== undefined) {
    if (!isInteger(count) || count <= 0)
      return new RangeError(`${name} count must be an integer > 0`);
    args.push('COUNT', count);
    if (any) args.push('ANY');
  } else if (any) {
    return new TypeError(`${name} any needs a count`);
  }
  if (sort !== undefined) {
    if (sort !== 'ASC' && sort !== 'DESC')
      return new TypeError(`${name} sort must be 'ASC' or 'DESC'`);
    args.push(sort);
  }
  return args;
}

/** FROMMEMBER / FROMLONLAT, BYRADIUS / BYBOX and the limits as GEOSEARCH arguments, or the error. */
function searchArgs(
  name: string,
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoLimitOptions | undefined,
): Arg[] | Error {
  const { fromMember, fromLonLat } = (from ?? {}) as { fromMember?: Arg; fromLonLat?: unknown };
  const { byRadius, byBox } = (by ?? {}) as { byRadius?: unknown; byBox?: unknown };
  const args: Arg[] = [];
  if ((fromMember === undefined) === (fromLonLat === undefined)) {
    return new TypeError(`${name} takes one of fromMember and fromLonLat`);
  }
  if (fromMember !== undefined) {
    args.push('FROMMEMBER', fromMember);
  } else {
    if (!Array.isArray(fromLonLat) || fromLonLat.length !== 2) {
      return new TypeError(`${name} fromLonLat must be [longitude, latitude]`);
    }
    const error = checkPosition(name, fromLonLat[0], fromLonLat[1]);
    if (error) return error;
    args.push('FROMLONLAT', fromLonLat[0] as number, fromLonLat[1] as number);
  }
  if ((byRadius === undefined) === (byBox === undefined)) {
    return new TypeError(`${name} takes one of byRadius and byBox`);
  }
  const area = byRadius ?? byBox;
  const size = byRadius !== undefined ? 1 : 2;
  if (!Array.isArray(area) || area.length !== size + 1) {
    return new TypeError(`${name} byRadius must be [radius, unit] and byBox [width, height, unit]`);
  }
  const unit: unknown = area[size];
  if (!GEO_UNITS.has(unit)) return new TypeError(unitMessage(name));
  for (const length of area.slice(0, size)) {
    if (typeof length !== 'number' || !(length >= 0) || length === Infinity) {
      return new RangeError(`${name} radius, width and height must be finite numbers ≥ 0`);
    }
  }
  args.push(byRadius !== undefined ? 'BYRADIUS' : 'BYBOX', ...(area as Arg[]));
  const limit = limitArgs(name, options);
  return limit instanceof Error ? limit : args.concat(limit);
}

/** GEOPOS's `[longitude, latitude]` pairs as {@link GeoPoint}s. */
function toGeoPoints(reply: Array<[string, string] | null>): Array<GeoPoint | null> {
  return reply.map((pair) => (pair === null ? null : toGeoPoint(pair)));
}

function toGeoPoint(pair: [string | Buffer, string | Buffer]): GeoPoint {
  return { longitude: toNumber(pair[0]), latitude: toNumber(pair[1]) };
}

/**
 * The reply transform of a query: members as they are, or, when it asked for more, each
 * `[member, dist?, hash?, [lon, lat]?]` item (the server's fixed order) as a {@link GeoMember}.
 * Only members go through `decode`: distances and coordinates are numbers (see readShaped).
 */
function geoMembers(
  options: GeoQueryOptions | undefined,
): (reply: unknown[], decode: Decode) => unknown {
  const withDist = Boolean(options?.withDist);
  const withHash = Boolean(options?.withHash);
  const withCoord = Boolean(options?.withCoord);
  if (!withDist && !withHash && !withCoord) {
    return (reply, decode) => (decode === asIs ? reply : reply.map(decode));
  }
  return (reply, decode) =>
    (reply as RawGeoItem[]).map((item) => {
      const result: GeoMember<unknown> = { member: decode(item[0]) };
      let next = 1;
      if (withDist) result.dist = toNumber(item[next++] as string);
      if (withHash) result.hash = item[next++] as number;
      if (withCoord) result.coord = toGeoPoint(item[next] as [string, string]);
      return result;
    });
}
