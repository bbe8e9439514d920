import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';

const deflate = promisify(deflateRaw);

/**
 * Text as stored in a bytea column: its UTF-8 as raw deflate at the fastest level, compressed on libuv's
 * thread pool. Log records repeat their keys, ids and envelope from record to record, so a batch shrinks
 * many times, for less time than sending, writing and replicating the plain text would take.
 */
export function compress(text: string): Promise<Buffer> {
  return deflate(Buffer.from(text, 'utf8'), { level: 1 });
}

/** The text back from its stored form. */
export function decompress(stored: Buffer): string {
  return inflateRawSync(stored).toString('utf8');
}
