// The writer thread: owns the connection that writes the log, so that inserting, committing and fsyncing a
// batch happen beside the partition's processing instead of on its thread. Requests run one at a time, in
// the order they were posted; each answer goes back once its transaction is committed (durable).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AppendRefused, createLogWriter } from './log-writer.js';
import type { WriteRequest } from './log-writer.js';
import type { WriterMessage, WriterReply, WriterThreadData } from './threaded-writer.js';

const { path, synchronous, busyTimeoutMs } = workerData as WriterThreadData;
const port = parentPort!;

let write: ((request: WriteRequest) => void) | undefined;
let db: Database.Database | undefined;
let openError: string | undefined;
try {
  db = new Database(path, { timeout: busyTimeoutMs });
  // The main thread opened the file first: WAL mode (persistent) and the schema are in place.
  db.pragma(`synchronous = ${synchronous}`);
  write = createLogWriter(db);
} catch (error) {
  openError = `opening ${path} on the writer thread failed: ${describe(error)}`;
  db?.close();
}

port.on('message', (message: WriterMessage) => {
  if (message.request === 'close') {
    if (db?.open) db.close();
    port.postMessage({ id: message.id } satisfies WriterReply);
    port.close();
    return;
  }
  try {
    if (!write) throw new Error(openError);
    write(message.request);
    port.postMessage({ id: message.id } satisfies WriterReply);
  } catch (error) {
    port.postMessage({
      id: message.id,
      error: { message: describe(error), refused: error instanceof AppendRefused },
    } satisfies WriterReply);
  }
});

function describe(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
