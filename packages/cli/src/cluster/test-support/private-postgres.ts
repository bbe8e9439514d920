// A PostgreSQL server of the test's own, in a temporary directory on a free port, so that a test may stop and
// restart it without touching the machine's shared server. Stopped (and its directory removed) on every path.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's programs (Debian's layout), or those on the PATH via pg_config. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('private PostgreSQL: no initdb found (install the postgresql server package)');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function asServerUser(program: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [program, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', program, ...args]];
}

const running = new Set<PrivatePostgres>();
// The test process ends (or fails) without its hooks: no server is left behind.
process.on('exit', () => {
  for (const server of running) server.killNow();
});

export class PrivatePostgres {
  private server: ChildProcess | undefined;
  private output = '';

  private constructor(
    private readonly dir: string,
    private readonly bin: string,
    readonly port: number,
  ) {}

  /** initdb in a fresh temporary directory, then starts the server; resolves once it accepts connections. */
  static async start(): Promise<PrivatePostgres> {
    const bin = binDir();
    const dir = mkdtempSync(join(tmpdir(), 'baton-private-pg-'));
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, uid, gid);
    }
    const server = new PrivatePostgres(dir, bin, await freePort());
    running.add(server);
    try {
      const [program, args] = asServerUser(join(bin, 'initdb'), [
        '-D',
        join(dir, 'data'),
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
      execFileSync(program, args, { stdio: 'pipe' });
      await server.resume();
      return server;
    } catch (error) {
      await server.destroy();
      throw error;
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Starts the server on its directory and port; resolves once it accepts connections (30 s at most). */
  async resume(): Promise<void> {
    if (this.server) return;
    const [program, args] = asServerUser(join(this.bin, 'postgres'), [
      '-D',
      join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    const server = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = server;
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail('did not accept connections within 30 s'), 30_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString('utf8');
        if (this.output.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`private PostgreSQL on port ${this.port} ${why}: ${this.output}`));
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (code) => {
        if (this.server === server) this.server = undefined;
        fail(`exited (code ${code})`);
      });
    });
  }

  /**
   * Stops the server the hard way (SIGQUIT: an immediate shutdown, as a crash, every connection cut; the next
   * start recovers from the WAL), and resolves once it is gone.
   */
  async crash(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const gone = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGQUIT');
    await gone;
  }

  /** Stops the server if it runs and removes its directory. */
  async destroy(): Promise<void> {
    await this.crash();
    running.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** From the process's `exit` hook: no waiting possible. */
  killNow(): void {
    this.server?.kill('SIGQUIT');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
