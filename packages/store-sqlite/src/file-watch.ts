import { accessSync, constants, statSync } from 'node:fs';
import type { StoreHealth } from '@baton-engine/store';

/**
 * Notices when the database file or its write-ahead log is removed or replaced under an open store, and
 * remembers why writes failed. SQLite goes on writing to a file it has open even after it was unlinked, so
 * without this check such writes would succeed and vanish at the next start.
 */
export class FileWatch {
  private readonly identities = new Map<string, string>();
  /** Sticky: a replaced file stays wrong until the engine is restarted on the file now at the path. */
  private replaced: string | undefined;
  /** The last write's error (disk full, read-only, I/O error); cleared by the next write that succeeds. */
  private writeError: string | undefined;

  constructor(private readonly path: string) {
    this.remember(path);
    this.remember(`${path}-wal`);
  }

  /** Throws, naming the file, when a file of the database is gone or another one stands at its path. */
  checkBeforeWrite(): void {
    if (!this.replaced) {
      for (const [file, identity] of this.identities) {
        const now = identityOf(file);
        if (now === identity) continue;
        this.replaced =
          now === undefined
            ? `${file} was removed while the engine had it open`
            : `${file} was replaced by another file while the engine had it open`;
        break;
      }
      // The write-ahead log appears with the first write; from then on it is watched too.
      if (!this.identities.has(`${this.path}-wal`)) this.remember(`${this.path}-wal`);
    }
    if (this.replaced)
      throw new Error(`${this.replaced}; writes are refused so that none is lost (restart the engine)`);
  }

  wrote(error: unknown): void {
    this.writeError =
      error === undefined ? undefined : `the last write failed: ${describe(error)}${this.hint(error)}`;
  }

  /**
   * What a failed write's error means for an operator, e.g. ` (the disk is full)`, or '' when unknown.
   * SQLite reports a file it may no longer write (made read-only or immutable while open) as a plain I/O
   * error, so the files are asked whether they are writable.
   */
  hint(error: unknown): string {
    const known = hintOf(error);
    if (known !== ' (an I/O error: check the disk)') return known;
    for (const file of [this.path, `${this.path}-wal`]) {
      try {
        accessSync(file, constants.W_OK);
      } catch (problem) {
        const code = (problem as { code?: string }).code;
        if (code === 'ENOENT') continue;
        return ` (the file ${file} is read-only: ${code ?? String(problem)})`;
      }
    }
    return known;
  }

  health(): StoreHealth {
    const problem = this.replaced ?? this.writeError;
    return problem === undefined ? { healthy: true } : { healthy: false, detail: problem };
  }

  private remember(file: string): void {
    const identity = identityOf(file);
    if (identity !== undefined) this.identities.set(file, identity);
  }
}

function identityOf(file: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
  return stat && `${stat.dev}:${stat.ino}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hintOf(error: unknown): string {
  // Errors from the writer thread arrive as messages only, so SQLite's wording is matched too.
  const code = (error as { code?: string }).code ?? '';
  const message = describe(error);
  return code === 'SQLITE_FULL' || /disk is full/.test(message)
    ? ' (the disk is full)'
    : code === 'SQLITE_READONLY' || /readonly database/.test(message)
      ? ' (the file or its directory is read-only)'
      : code.startsWith('SQLITE_IOERR') || /disk I\/O error/.test(message)
        ? ' (an I/O error: check the disk)'
        : code === 'SQLITE_CORRUPT' || /malformed/.test(message)
          ? ' (the database file is corrupt)'
          : '';
}
