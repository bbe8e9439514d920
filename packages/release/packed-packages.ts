// The workspace packages as npm publishes them: packed into tarballs, and the checks a tarball must pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';

/** The repository root (this file sits in packages/release). */
export const ROOT = new URL('../../', import.meta.url).pathname;

/** Every package directory that is published, in dependency order. */
export const PACKAGE_DIRS = [
  'engine',
  'store',
  'store-sqlite',
  'store-postgres',
  'builder',
  'baton',
  'read-model',
  'gateway',
  'cockpit',
  'connectors',
  'cli',
] as const;

/** What `npm pack --json` reports for one package. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly description?: string;
  readonly repository?: unknown;
  readonly engines?: { readonly node?: string };
  readonly types?: string;
  readonly bin?: Record<string, string>;
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly dependencies?: Record<string, string>;
}

export function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as Manifest;
}

/**
 * The environment for npm and node run on behalf of a consumer: without what `npm test` and `node --test`
 * hand their children (a nested test runner would report to ours; npm's lifecycle variables point at the
 * workspace).
 */
export function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS' || key === 'INIT_CWD') continue;
    if (
      key.startsWith('npm_') &&
      !['npm_config_cache', 'npm_config_userconfig', 'npm_config_registry'].includes(key)
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end, or kills it after `timeoutMs`; resolves with its exit code and output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? consumerEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      output += `\n[killed after ${options.timeoutMs} ms]`;
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The last lines of a command's output, for a failure message. */
export function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Packs every published package from the built tree into `destination`. */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  for (const dir of PACKAGE_DIRS) {
    if (!existsSync(join(ROOT, 'packages', dir, 'dist')))
      throw new Error(`packages/${dir}/dist is missing: run \`npm run build\` first (npm test does)`);
  }
  mkdirSync(destination, { recursive: true });
  const workspaces = PACKAGE_DIRS.flatMap((dir) => ['-w', `packages/${dir}`]);
  const { code, output } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...workspaces],
    { cwd: ROOT, timeoutMs: 120_000 },
  );
  if (code !== 0) throw new Error(`npm pack failed (exit ${code}):\n${tail(output)}`);
  return JSON.parse(output.slice(output.indexOf('['))) as PackedPackage[];
}

/** The module specifiers a built JavaScript or declaration file imports (static, dynamic, re-exports). */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * What is wrong with one packed package, as sentences (empty when it is fine): the tarball holds built
 * output only, every entry point it declares is in it, every module it imports is in it or a declared
 * dependency, and it carries its licence and README.
 */
export function problemsOf(dir: string, packed: PackedPackage, version: string): string[] {
  const pkg = manifest(dir);
  const files = new Set(packed.files.map((file) => file.path));
  const problems: string[] = [];
  if (pkg.private) problems.push('is private');
  if (pkg.version !== version) problems.push(`has version ${pkg.version}, the others ${version}`);
  for (const [dependency, range] of Object.entries(pkg.dependencies ?? {})) {
    if (dependency.startsWith('@baton-engine/') && range !== version)
      problems.push(`depends on ${dependency}@${range}, not the release version ${version}`);
  }
  if (pkg.license !== 'Apache-2.0') problems.push('has no Apache-2.0 licence field');
  if (!pkg.description || !pkg.repository) problems.push('lacks a description or repository');
  if (pkg.engines?.node !== '>=20') problems.push('does not say engines.node >=20');
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!files.has(required)) problems.push(`leaves out ${required}`);
  }
  for (const path of files) {
    if (/\.test\.|(^|\/)src\/|\.map$|tsbuildinfo/.test(path)) problems.push(`ships ${path}`);
  }
  const targets: string[] = [...Object.values(pkg.bin ?? {}), ...(pkg.types ? [pkg.types] : [])];
  for (const entry of Object.values(pkg.exports ?? {})) {
    if (typeof entry === 'string') targets.push(entry);
    else {
      if (Object.keys(entry).at(-1) !== 'default')
        problems.push('has an export whose last condition is not default');
      // baton-src points the repository's own tests at the sources; no consumer asks for that condition.
      for (const [condition, target] of Object.entries(entry))
        if (condition !== 'baton-src') targets.push(target);
    }
  }
  for (const target of targets) {
    if (!files.has(target.replace(/^\.\//, ''))) problems.push(`declares ${target}, which it does not ship`);
  }
  const allowed = new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {})]);
  for (const path of files) {
    if (!/\.(js|d\.ts)$/.test(path)) continue;
    const source = readFileSync(join(ROOT, 'packages', dir, path), 'utf8');
    for (const specifier of importsOf(source)) {
      if (specifier.startsWith('.')) {
        const target = join(path, '..', specifier).replace(/\.js$/, path.endsWith('.d.ts') ? '.d.ts' : '.js');
        if (!files.has(target) && !files.has(join(path, '..', specifier)))
          problems.push(`${path} imports ${specifier}, which it does not ship`);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        if (!allowed.has(packageOf(specifier)))
          problems.push(`${path} imports ${specifier}, which is not in its dependencies`);
      }
    }
  }
  return problems;
}
