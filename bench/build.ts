// Transpiles lib/ and bench/ to plain JavaScript in a temporary directory, so that the measured
// child processes run on plain `node` without ts-node: loading the TypeScript compiler would add
// tens of MiB to every child's peak RSS and blur the memory comparison.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['lib', 'bench'];

/** A transpiled copy of the sources; `remove()` deletes it. */
export interface Build {
  /** Path of the compiled runner script, to fork. */
  runner: string;
  dir: string;
  remove(): void;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.isFile() && file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

export function build(): Build {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redmux-bench-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  process.on('exit', remove);
  // A signal ends Node without running 'exit' listeners. The redis-server helper's own listener
  // cleans up and re-raises the signal once no listener is left, so ours must run (and go) first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.prependOnceListener(signal, remove);
  }
  // Resolves `ioredis`, `redis`, `denque`… from the copy exactly as from the checkout.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    // Lets `node --cpu-prof` profiles and stack traces point at the TypeScript lines.
    inlineSourceMap: true,
    inlineSources: true,
  };
  for (const sourceDir of SOURCE_DIRS) {
    for (const file of sourceFiles(path.join(ROOT, sourceDir))) {
      const relative = path.relative(ROOT, file);
      const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
        compilerOptions,
        fileName: relative,
        reportDiagnostics: true,
      });
      const errors = output.diagnostics ?? [];
      if (errors.length > 0) {
        const text = ts.formatDiagnostics(errors, {
          getCanonicalFileName: (name) => name,
          getCurrentDirectory: () => ROOT,
          getNewLine: () => '\n',
        });
        throw new Error(`cannot transpile ${relative}:\n${text}`);
      }
      const target = path.join(dir, relative.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, output.outputText);
    }
  }
  return { runner: path.join(dir, 'bench', 'runner.js'), dir, remove };
}
