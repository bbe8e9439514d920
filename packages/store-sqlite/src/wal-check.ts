import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * SQLite's write-ahead log format (https://www.sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte
 * header, then frames of a 24-byte header and one page. Every frame carries a checksum that continues the
 * previous frame's, and the header's two salts.
 */
const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;
const MAGIC_LITTLE_ENDIAN = 0x377f0682;
const MAGIC_BIG_ENDIAN = 0x377f0683;

/** What a scan of a write-ahead log found (see `scanWriteAheadLog`). */
export interface WalScan {
  /** Frames that belong to the log's current generation and verify, up to the first that does not. */
  readonly validFrames: number;
  /**
   * The index (0-based) of the first frame that does not verify, if any: the torn end of a write, a frame
   * of an earlier generation past the current end (both normal), or damage.
   */
  readonly firstBadFrame?: number;
  /**
   * Commit frames after `firstBadFrame` that verify against the frame before them: whole transactions that
   * SQLite will ignore, because it stops reading at the first bad frame.
   */
  readonly committedAfterBadFrame: number;
}

/**
 * Reads the write-ahead log at `walPath` and verifies every frame's checksum the way SQLite does when it
 * recovers the log. SQLite takes the first frame that fails for the torn end of an interrupted write and
 * ignores it and everything after it. That is right for a torn end, whose transaction was never
 * acknowledged (the log is synced at every commit); but when a frame in the middle was damaged after the
 * fact (a bad sector, a stray write), the transactions after it were committed and acknowledged, and
 * dropping them would lose them silently. Frames after a bad one can still be verified one by one: each
 * continues the checksum stored in the header of the frame before it.
 *
 * Returns undefined when there is no log or it is shorter than its header (nothing to recover).
 */
export function scanWriteAheadLog(walPath: string): WalScan | undefined {
  const size = statSync(walPath, { throwIfNoEntry: false })?.size ?? 0;
  if (size < WAL_HEADER_BYTES) return undefined;
  const fd = openSync(walPath, 'r');
  try {
    const header = Buffer.alloc(WAL_HEADER_BYTES);
    readSync(fd, header, 0, WAL_HEADER_BYTES, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== MAGIC_LITTLE_ENDIAN && magic !== MAGIC_BIG_ENDIAN) return undefined; // not a log SQLite would use
    const bigEndian = magic === MAGIC_BIG_ENDIAN;
    const pageSize = header.readUInt32BE(8) === 1 ? 65_536 : header.readUInt32BE(8);
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const headerSum = checksum(header.subarray(0, 24), bigEndian, 0, 0);
    if (headerSum[0] !== header.readUInt32BE(24) || headerSum[1] !== header.readUInt32BE(28))
      return undefined;

    const frameBytes = FRAME_HEADER_BYTES + pageSize;
    const frame = Buffer.alloc(frameBytes);
    const frames = Math.floor((size - WAL_HEADER_BYTES) / frameBytes);
    let running: [number, number] = headerSum;
    let validFrames = 0;
    let firstBadFrame: number | undefined;
    let committedAfterBadFrame = 0;
    for (let index = 0; index < frames; index++) {
      readSync(fd, frame, 0, frameBytes, WAL_HEADER_BYTES + index * frameBytes);
      const stored: [number, number] = [frame.readUInt32BE(16), frame.readUInt32BE(20)];
      const ownGeneration = frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2;
      const sum = checksum(
        frame.subarray(FRAME_HEADER_BYTES),
        bigEndian,
        ...checksum(frame.subarray(0, 8), bigEndian, ...running),
      );
      const verifies = ownGeneration && sum[0] === stored[0] && sum[1] === stored[1];
      if (firstBadFrame === undefined) {
        if (verifies) validFrames++;
        else firstBadFrame = index;
      } else if (verifies && frame.readUInt32BE(4) !== 0) committedAfterBadFrame++;
      // The next frame continues the checksum this one stores, whether or not this one verified.
      running = stored;
    }
    return firstBadFrame === undefined
      ? { validFrames, committedAfterBadFrame }
      : { validFrames, firstBadFrame, committedAfterBadFrame };
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses a write-ahead log with a damaged frame followed by committed transactions (see
 * `scanWriteAheadLog`): opening it would silently drop acknowledged work. One transaction after the bad
 * frame can be the torn end itself (its frames reach the disk in any order before the commit's sync), so it
 * takes two to be sure.
 */
export function checkWriteAheadLog(databasePath: string): void {
  const walPath = `${databasePath}-wal`;
  const scan = scanWriteAheadLog(walPath);
  if (!scan || scan.firstBadFrame === undefined || scan.committedAfterBadFrame < 2) return;
  throw new Error(
    `sqlite store: ${walPath} is damaged: frame ${scan.firstBadFrame + 1} fails its checksum, yet ` +
      `${scan.committedAfterBadFrame} committed transactions follow it. SQLite would drop them silently, and ` +
      'with them acknowledged work, so the engine refuses to start. Restore the database and its -wal file ' +
      `from a backup; or, accepting that loss, move ${walPath} aside (the engine then starts from the ` +
      `database file alone, without the ${scan.validFrames} frames before the damage either).`,
  );
}

/** SQLite's log checksum over `data` (a multiple of 8 bytes), continuing from `s0`, `s1`. */
function checksum(data: Buffer, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let offset = 0; offset < data.length; offset += 8) {
    const x0 = bigEndian ? data.readUInt32BE(offset) : data.readUInt32LE(offset);
    const x1 = bigEndian ? data.readUInt32BE(offset + 4) : data.readUInt32LE(offset + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
