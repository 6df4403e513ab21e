// Type tests for pipelines and transactions, checked by `npm run typecheck` (never run by mocha).
// Each pinned assignment fails to compile if a result type widens or changes, and each
// expected-error directive fails to compile if the wrong use stops being an error.
import type { Batch, BatchResults, Redis, ScoredMember } from '../../lib';

/* eslint-disable @typescript-eslint/no-unused-vars -- values here exist for their types */

/** Compiles only when `A` and `B` are the same type. */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A, B>(equal: Equal<A, B>): void {
  void equal;
}

export async function typedBuild(text: Redis<string>, raw: Redis<Buffer>): Promise<void> {
  // execute(build): each item typed by its own method, in order.
  const results = await text.pipeline().execute((p) => [p.get('a'), p.incr('b'), p.hgetall('h')]);
  expectType<typeof results, [string | null, number, Record<string, string>]>(true);
  const [value, count] = results;
  const pinned: string | null = value;
  const counted: number = count;
  void pinned;
  void counted;
  // @ts-expect-error a GET may find nothing: string | null, not string
  const notNull: [string, number, Record<string, string>] = results;
  void notNull;

  // Generic methods keep their precise results: zrange with and without withScores, encodings.
  const [members, scored, buffers, decoded] = await text
    .multiExec()
    .execute((t) => [
      t.zrange('z', 0, -1),
      t.zrange('z', 0, -1, { withScores: true }),
      t.get('a', { encoding: null }),
      raw.pipeline().get('a', { encoding: 'utf8' }),
    ]);
  expectType<typeof members, string[]>(true);
  expectType<typeof scored, Array<ScoredMember<string>>>(true);
  expectType<typeof buffers, Buffer | null>(true);
  expectType<typeof decoded, string | null>(true);

  // Overloads keep theirs: LPOS with and without count, ZADD with and without incr.
  const [one, many, added, incremented] = await raw
    .pipeline()
    .execute((p) => [
      p.lpos('l', 'x'),
      p.lpos('l', 'x', { count: 2 }),
      p.zadd('z', 1, 'm'),
      p.zadd('z', 1, 'm', { incr: true }),
    ]);
  expectType<typeof one, number | null>(true);
  expectType<typeof many, number[]>(true);
  expectType<typeof added, number>(true);
  expectType<typeof incremented, number | null>(true);

  // A Buffer client's stored values are Buffers.
  const [bytes] = await raw.pipeline().execute((p) => [p.get('a')]);
  expectType<typeof bytes, Buffer | null>(true);

  // returnExceptions: a failed command's error in its place.
  const settled = await text
    .pipeline()
    .execute((p) => [p.get('a'), p.incr('b')], { returnExceptions: true });
  expectType<typeof settled, [string | null | Error, number | Error]>(true);
  const [maybe] = settled;
  if (maybe instanceof Error) {
    const error: Error = maybe;
    void error;
  } else {
    const got: string | null = maybe;
    void got;
  }

  // The builder gets the batch, with the client's stored-value type.
  await text.pipeline().execute((p) => {
    const batch: Batch<string> = p;
    // @ts-expect-error a utf8 client's batch is not a Buffer one
    const wrong: Batch<Buffer> = p;
    return [batch, wrong];
  });
  // A batch whose kind is known only at run time takes a build too.
  const either = Math.random() > 0.5 ? raw.multiExec() : raw.pipeline();
  const [got] = await either.execute((b) => [b.get('a')]);
  expectType<typeof got, Buffer | null>(true);

  // @ts-expect-error build must return the calls as an array, at once
  await text.pipeline().execute((p) => p.get('a'));
  // @ts-expect-error an async build would queue after the batch ran
  await text.pipeline().execute(async (p) => [await p.get('a')]);

  // The named result type is the same mapping.
  expectType<BatchResults<[Promise<number>, string]>, [number, string]>(true);
}

export async function aioredisStyle(text: Redis<string>): Promise<void> {
  // Each call still returns its own precisely typed promise; execute() runs the batch.
  const pipe = text.pipeline();
  const value = pipe.get('a');
  const scored = pipe.zrange('z', 0, -1, { withScores: true });
  expectType<typeof value, Promise<string | null>>(true);
  expectType<typeof scored, Promise<Array<ScoredMember<string>>>>(true);
  const all = await pipe.execute();
  // Nothing tells the compiler what was queued: unknown[], never a guessed tuple.
  expectType<typeof all, unknown[]>(true);
  // @ts-expect-error the items of a plain execute() are unknown
  const first: string = all[0];
  void first;
  // execute(command, ...args) still queues a raw command.
  const size: Promise<number> = pipe.execute<number>('DBSIZE');
  void size;
}
