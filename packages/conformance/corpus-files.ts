import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One third-party model of the conformance corpus, as `sources.json` records it. */
export interface CorpusFile {
  /** Where it lies under the corpus folder: `<source>/<path in its repository>`. */
  readonly file: string;
  /** `owner/name` on GitHub. */
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  /** SPDX id of the licence the file is published under. */
  readonly licence: string;
  /** Of the exact bytes at that commit: a file that differs is not the one the expectations were written for. */
  readonly sha256: string;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** Every file of the corpus, in `sources.json` order. */
export const CORPUS: readonly CorpusFile[] = (
  JSON.parse(readFileSync(resolve(here, 'sources.json'), 'utf8')) as { files: CorpusFile[] }
).files;

const repository = resolve(here, '../..');

/**
 * The folder the models are read from: `$BATON_CONFORMANCE_CORPUS`; else `conformance-corpus/` in the
 * steering repository's `shared/` folder beside this clone (where CI finds it); else
 * `packages/conformance/corpus/` (git-ignored). The models are third-party files and are not committed here
 * (see SOURCES.md).
 */
export const CORPUS_DIR = resolve(
  process.env.BATON_CONFORMANCE_CORPUS ??
    [resolve(repository, '../shared/conformance-corpus'), resolve(here, 'corpus')].find((dir) =>
      existsSync(dir),
    ) ??
    resolve(here, 'corpus'),
);

/** Why a file cannot be checked here, or undefined when it is present. */
export function unavailable(entry: CorpusFile): string | undefined {
  const path = resolve(CORPUS_DIR, entry.file);
  if (!existsSync(path))
    return `not in ${CORPUS_DIR}: the corpus is not committed; place it in ../shared/conformance-corpus or set BATON_CONFORMANCE_CORPUS (docs/conformance.md)`;
  return undefined;
}

/** The file's bytes; throws when they are not the ones `sources.json` recorded. */
export function readCorpusFile(entry: CorpusFile): Buffer {
  const bytes = readFileSync(resolve(CORPUS_DIR, entry.file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256)
    throw new Error(
      `${entry.file}: sha256 ${sha256}, but sources.json records ${entry.sha256} (another version?)`,
    );
  return bytes;
}

/** What kind of resource Zeebe takes a file for, by its extension (as Zeebe's deployment does). */
export function resourceKind(file: string): 'process' | 'decision' | 'form' {
  if (file.endsWith('.dmn')) return 'decision';
  if (file.endsWith('.form')) return 'form';
  return 'process';
}
