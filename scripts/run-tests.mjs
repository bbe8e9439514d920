// Runs every *.test.ts under packages/ (or the files given) with Node's test runner, on the sources via tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The whole run's limit, well inside CI's: a run that reaches it is stopped and fails. */
const SUITE_TIMEOUT_MS = 40 * 60_000;

const args = process.argv.slice(2);
// A directory given stands for every test file under it.
const files =
  args.length > 0
    ? args.flatMap((arg) => (statSync(arg).isDirectory() ? collect(arg, []).sort() : [arg]))
    : [...collect('packages', []), ...collect('examples', [])].sort();
const result = spawnSync(
  process.execPath,
  [
    '--conditions=baton-src',
    '--import',
    'tsx',
    '--enable-source-maps',
    '--test',
    '--test-concurrency=2',
    // Guards so that a stuck test fails instead of hanging CI: a test or hook without its own timeout fails
    // after 3 minutes, and a file whose tests are done exits even if it left a handle open.
    '--test-timeout=180000',
    '--test-force-exit',
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', timeout: SUITE_TIMEOUT_MS, killSignal: 'SIGKILL' },
);
if (result.error?.code === 'ETIMEDOUT') {
  console.error(
    `run-tests: the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes and was stopped`,
  );
}
process.exit(result.status ?? 1);
