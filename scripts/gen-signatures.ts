/**
 * Generates lib/commands/signatures.ts: for every public method of the command groups and of
 * Redis, how many positional arguments it takes and which of them are option objects with which
 * keys. The table is read from the methods' own declarations by the TypeScript compiler, so it
 * cannot drift from them: rerun this after changing a method's parameters (`npm run signatures`);
 * `--check` (run by the unit tests) fails when the file is out of date.
 *
 *   npx ts-node --transpile-only scripts/gen-signatures.ts [--check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'lib/commands/signatures.ts');
/** The classes whose methods are checked: every command group, and Redis's own methods. */
const SOURCES = ['lib/commands/*.ts', 'lib/redis.ts'];
const CLASSES = /^(\w+Commands|Redis|ContextRedis)$/;
/** Methods that take any command and arguments: nothing to check. */
const SKIP = new Set(['execute', 'executeWith', 'call', 'constructor']);

/** One object parameter: where it is, the keys it knows, and whether a string, number or Buffer may stand there instead. */
interface ObjectParam {
  index: number;
  name: string;
  /** null: any key (a record such as CONFIG SET's `{ parameter: value }`). */
  keys: string[] | null;
  orArg: boolean;
}

interface MethodSignature {
  name: string;
  owner: string;
  max: number | null;
  iterator: boolean;
  objects: ObjectParam[];
}

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const pattern of SOURCES) {
    if (!pattern.includes('*')) {
      files.push(path.join(ROOT, pattern));
      continue;
    }
    const dir = path.join(ROOT, path.dirname(pattern));
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith('.ts') && file !== 'signatures.ts') files.push(path.join(dir, file));
    }
  }
  return files;
}

function program(): ts.Program {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return ts.createProgram(sourceFiles(), parsed.options);
}

/** The keys an object parameter knows, and whether a plain Arg may stand in its place. */
function describeParam(
  checker: ts.TypeChecker,
  param: ts.ParameterDeclaration,
): { keys: string[] | null; orArg: boolean } | undefined {
  const members = flatten(checker, checker.getTypeAtLocation(param));
  const keys = new Set<string>();
  let objects = 0;
  let anyKey = false;
  let orArg = false;
  for (const member of members) {
    const flags = member.flags;
    if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) continue;
    if (flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) {
      orArg = true;
      continue;
    }
    if (flags & ts.TypeFlags.BooleanLike) return undefined;
    if (checker.isArrayType(member) || checker.isTupleType(member)) return undefined;
    if (member.getCallSignatures().length > 0) return undefined;
    const symbol = member.getSymbol() ?? member.aliasSymbol;
    const declaration = symbol?.declarations?.[0];
    // Class instances (Buffer, Channel, AbortSignal, a Script…) are values, not option bags.
    if (symbol?.getName() === 'Buffer' || (declaration && ts.isClassDeclaration(declaration))) {
      orArg = true;
      continue;
    }
    if (!(flags & ts.TypeFlags.Object) && !(flags & ts.TypeFlags.Intersection)) return undefined;
    objects++;
    if (checker.getIndexInfosOfType(member).length > 0) anyKey = true;
    for (const property of checker.getPropertiesOfType(member)) keys.add(property.getName());
  }
  if (objects === 0) return undefined;
  return { keys: anyKey ? null : [...keys].sort(), orArg };
}

/** The members of a union, with each type parameter replaced by its constraint (`O extends ReadOptions`). */
function flatten(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint === undefined || constraint === type ? [] : flatten(checker, constraint);
  }
  return type.isUnion() ? type.types.flatMap((member) => flatten(checker, member)) : [type];
}

function collect(): MethodSignature[] {
  const prog = program();
  const checker = prog.getTypeChecker();
  const methods = new Map<string, MethodSignature>();
  for (const file of sourceFiles()) {
    const source = prog.getSourceFile(file);
    if (source === undefined) throw new Error(`not compiled: ${file}`);
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const owner = statement.name.text;
      if (!CLASSES.test(owner)) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || member.body === undefined) continue;
        if (!ts.isIdentifier(member.name)) continue;
        const modifiers = ts.getCombinedModifierFlags(member);
        if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if (modifiers & ts.ModifierFlags.Static) continue;
        const name = member.name.text;
        if (SKIP.has(name) || name.startsWith('_')) continue;
        const params = member.parameters.filter(
          (p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'),
        );
        const rest = params.some((p) => p.dotDotDotToken !== undefined);
        const objects: ObjectParam[] = [];
        params.forEach((param, index) => {
          if (param.dotDotDotToken) return;
          const described = describeParam(checker, param);
          if (described === undefined) return;
          const paramName = ts.isIdentifier(param.name) ? param.name.text : `argument ${index + 1}`;
          objects.push({ index, name: paramName, ...described });
        });
        const returns = checker.typeToString(
          checker.getReturnTypeOfSignature(
            checker.getSignatureFromDeclaration(member) as ts.Signature,
          ),
        );
        const iterator = /^Async(Iterable)?(Iterator|Generator|IterableIterator)\b/.test(returns);
        // A method that answers synchronously (pipeline(), multiExec()) cannot refuse with a
        // rejection without breaking its callers; it has nothing to check anyway.
        if (!iterator && !/^Promise\b/.test(returns)) continue;
        const signature: MethodSignature = {
          name,
          owner,
          max: rest ? null : params.length,
          iterator,
          objects,
        };
        // ContextRedis overrides some of Redis's methods; an override must take the same arguments.
        const previous = methods.get(name);
        if (previous !== undefined) {
          const same = (m: MethodSignature): string => JSON.stringify({ ...m, owner: undefined });
          if (same(previous) !== same(signature)) {
            throw new Error(
              `${owner}.${name} and ${previous.owner}.${name} take different arguments`,
            );
          }
          continue;
        }
        methods.set(name, signature);
      }
    }
  }
  return [...methods.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function render(methods: MethodSignature[]): string {
  // Key lists are shared: most methods take the same few option shapes.
  const keyLists = new Map<string, string>();
  const keyConst = (keys: string[] | null): string => {
    if (keys === null) return 'null';
    const text = JSON.stringify(keys).replace(/"/g, "'").replace(/,/g, ', ');
    let id = keyLists.get(text);
    if (id === undefined) {
      id = `K${keyLists.size}`;
      keyLists.set(text, id);
    }
    return id;
  };
  const rows = methods.map((m) => {
    const objects = m.objects.map(
      (o) => `[${o.index}, '${o.name}', ${keyConst(o.keys)}${o.orArg ? ', true' : ''}]`,
    );
    const max = m.max === null ? 'null' : String(m.max);
    const flags = m.iterator ? ', true' : objects.length > 0 ? ', false' : '';
    const list = objects.length > 0 ? `, [${objects.join(', ')}]` : '';
    return `  ${m.name}: [${max}${flags}${list}], // ${m.owner}`;
  });
  const consts = [...keyLists].map(([text, id]) => `const ${id}: Keys = new Set(${text});`);
  return `${[
    '/**',
    ' * What every typed method takes, generated from the methods\u2019 declarations by',
    ' * scripts/gen-signatures.ts (`npm run signatures`): do not edit by hand. Read by',
    ' * lib/commands/guard.ts, which refuses extra arguments and unknown option keys before a method',
    ' * runs. A row is `[max positional arguments (null: variadic), returns an async iterator,',
    ' * [[index, parameter name, known keys, a string/number/Buffer may stand there instead]…]]`.',
    ' *',
    ' * @module',
    ' */',
    '',
    '/** @internal */',
    'export type Keys = ReadonlySet<string>;',
    '/** @internal One object parameter: index, name, known keys, whether an Arg may stand there. */',
    'export type ObjectParam = readonly [',
    '  index: number,',
    '  name: string,',
    '  keys: Keys | null,',
    '  orArg?: boolean,',
    '];',
    '/** @internal */',
    'export type Signature = readonly [',
    '  max: number | null,',
    '  iterator?: boolean,',
    '  objects?: readonly ObjectParam[],',
    '];',
    '',
    ...consts,
    '',
    '/** @internal */',
    'export const SIGNATURES: Readonly<Record<string, Signature>> = {',
    ...rows,
    '};',
  ].join('\n')}\n`;
}

async function main(): Promise<void> {
  let text = render(collect());
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(OUTPUT)) ?? {};
  text = await prettier.format(text, { ...config, filepath: OUTPUT });
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(
        'lib/commands/signatures.ts is out of date: run `npm run signatures` and commit it',
      );
      process.exit(1);
    }
    console.log('lib/commands/signatures.ts is up to date');
    return;
  }
  fs.writeFileSync(OUTPUT, text);
  console.log(`wrote ${path.relative(ROOT, OUTPUT)}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
