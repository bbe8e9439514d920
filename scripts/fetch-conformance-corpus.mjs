// Downloads the conformance corpus (packages/conformance/sources.json) into packages/conformance/corpus/, or
// into $BATON_CONFORMANCE_CORPUS: each file at its pinned commit, checked against its recorded sha256.
// Files already there with the right bytes are not downloaded again. Exits 1 if any file could not be had.
/* global fetch, AbortSignal, Buffer -- Node 20 globals */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const conformance = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/conformance');
const target = resolve(process.env.BATON_CONFORMANCE_CORPUS ?? resolve(conformance, 'corpus'));
const { files } = JSON.parse(readFileSync(resolve(conformance, 'sources.json'), 'utf8'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let fetched = 0;
let failed = 0;
for (const entry of files) {
  const path = resolve(target, entry.file);
  if (existsSync(path) && sha256(readFileSync(path)) === entry.sha256) continue;
  const url = `https://raw.githubusercontent.com/${entry.repository}/${entry.commit}/${entry.path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (sha256(bytes) !== entry.sha256) throw new Error(`sha256 ${sha256(bytes)}, expected ${entry.sha256}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    fetched += 1;
  } catch (error) {
    failed += 1;
    console.error(`${entry.file}: ${url}: ${error.message}`);
  }
}
console.log(
  `${files.length - failed} of ${files.length} corpus files in ${target} (${fetched} downloaded now)`,
);
process.exit(failed > 0 ? 1 : 0);
