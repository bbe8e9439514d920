// A project outside the workspace that installs the packed tarballs as an application would: its own
// package.json, no workspace, no symlinks, third-party packages from the npm registry (or npm's cache).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackedPackage } from './packed-packages.js';
import { ROOT, run, tail } from './packed-packages.js';

/** A version the repository itself uses, so that the consumer compiles with the same TypeScript. */
function repositoryVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * Writes the project and installs every tarball in `tarballs` plus TypeScript and Node's types. better-sqlite3's
 * native addon is the one slow step of a fresh install (a compile from source where no prebuilt binary can be
 * downloaded, two minutes on a small machine): install scripts are skipped, and the addon the workspace built
 * for the same better-sqlite3 version and the same Node is copied in; only when the versions differ is it
 * compiled (`npm rebuild`).
 */
export async function installConsumer(
  dir: string,
  tarballs: string,
  packed: readonly PackedPackage[],
): Promise<void> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const dependencies: Record<string, string> = {
    typescript: repositoryVersion('typescript'),
    '@types/node': `^${repositoryVersion('@types/node').split('.')[0]}`,
  };
  for (const pkg of packed) dependencies[pkg.name] = `file:${join(tarballs, pkg.filename)}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'baton-consumer',
        private: true,
        type: 'module',
        dependencies,
        allowScripts: { 'better-sqlite3': true },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        rootDir: 'src',
        outDir: 'out',
      },
      include: ['src'],
    }),
  );
  const install = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    {
      cwd: dir,
      timeoutMs: 300_000,
    },
  );
  if (install.code !== 0) {
    throw new Error(
      `npm install of the packed tarballs failed (exit ${install.code}); third-party packages come from the ` +
        `npm registry or npm's cache:\n${tail(install.output)}`,
    );
  }
  const addon = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const built = join(ROOT, 'node_modules', addon);
  const installed = join(dir, 'node_modules', addon);
  const sameVersion =
    existsSync(join(dir, 'node_modules', 'better-sqlite3')) &&
    repositoryVersion('better-sqlite3') ===
      (
        JSON.parse(readFileSync(join(dir, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
  if (existsSync(installed)) return;
  if (sameVersion && existsSync(built)) {
    mkdirSync(join(installed, '..'), { recursive: true });
    copyFileSync(built, installed);
    return;
  }
  const rebuild = await run('npm', ['rebuild', 'better-sqlite3'], { cwd: dir, timeoutMs: 400_000 });
  if (rebuild.code !== 0) throw new Error(`npm rebuild better-sqlite3 failed:\n${tail(rebuild.output)}`);
}
