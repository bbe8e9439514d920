import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real broker, so that a test can cut the network (every connection drops and new
 * ones are dropped at once) and restore it, without stopping a broker other tests use.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  /** Each client connection's upstream, while both are open. */
  private readonly upstreams = new Map<Socket, Socket>();
  private readonly server: Server;
  private down = false;
  private stalled = false;
  private listeningPort = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy has no port');
    proxy.listeningPort = address.port;
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  private accept(client: Socket): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => {
      this.upstreams.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    this.upstreams.set(client, upstream);
    if (!this.stalled) client.pipe(upstream);
    upstream.pipe(client);
  }

  /**
   * Stops passing on what the clients send, keeping every connection open: the client believes it is connected,
   * but its publishes and acknowledgements never reach the broker (a process hanging on a half-dead network).
   * What the broker sends still reaches the client. Nothing held back is ever passed on.
   */
  async stall(): Promise<void> {
    this.stalled = true;
    for (const [client, upstream] of this.upstreams) {
      client.unpipe(upstream);
      client.pause();
    }
  }

  /** Drops every connection; new ones are dropped too until `restore()`. */
  async cut(): Promise<void> {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async restore(): Promise<void> {
    this.down = false;
  }

  async close(): Promise<void> {
    await this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
