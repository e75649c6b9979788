/**
 * Plain TCP or TLS byte streams for the stream sinks (syslog, logstash json_lines, GELF TCP):
 * connect on first use, write a whole batch, reconnect after any error. A write that
 * completes has reached the kernel's socket buffer, not the receiver: these protocols have no
 * acknowledgement, so a receiver that dies with data in flight can lose it (documented in the
 * sink reference). Errors are retryable SinkErrors.
 */
import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import dgram from 'node:dgram';
import { SinkError } from './sink.js';

export class StreamTransport {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;

  constructor(private readonly opts: { sink: string; host: string; port: number; tls?: ConnectionOptions; timeoutMs: number }) {}

  private connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const { host, port } = this.opts;
      const s = this.opts.tls
        ? tls.connect({ ...this.opts.tls, host, port, servername: this.opts.tls.servername ?? (net.isIP(host) ? undefined : host) })
        : net.connect({ host, port });
      const timer = setTimeout(() => s.destroy(new Error(`connect timeout after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      s.once(this.opts.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.setKeepAlive(true, 30_000);
        s.setNoDelay(true);
        this.socket = s;
        resolve(s);
      });
      s.once('error', (err) => { clearTimeout(timer); reject(err); });
      s.on('close', () => { if (this.socket === s) this.socket = undefined; });
      s.on('data', () => {}); // receivers do not talk; drain anything they send
    }).finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  async write(data: Buffer): Promise<void> {
    try {
      const s = await this.connect();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { s.destroy(); reject(new Error(`write timeout after ${this.opts.timeoutMs} ms`)); }, this.opts.timeoutMs);
        const onError = (err: Error) => { clearTimeout(timer); reject(err); };
        s.once('error', onError);
        s.write(data, (err) => {
          clearTimeout(timer);
          s.off('error', onError);
          if (err) reject(err); else resolve();
        });
      });
    } catch (err) {
      this.socket?.destroy();
      this.socket = undefined;
      const e = err as NodeJS.ErrnoException;
      throw new SinkError('sink_network', `${this.opts.tls ? 'tls' : 'tcp'}://${this.opts.host}:${this.opts.port}: ${e.code ?? ''} ${e.message}`.trim(), { retryable: true, context: { sink: this.opts.sink } });
    }
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s && !s.destroyed) await new Promise<void>((r) => s.end(() => r()));
  }
}

/** UDP datagrams: fire and forget (only local send errors are seen). */
export class DatagramTransport {
  private socket: dgram.Socket | undefined;

  constructor(private readonly opts: { sink: string; host: string; port: number }) {}

  async send(datagrams: Buffer[]): Promise<void> {
    this.socket ??= dgram.createSocket(net.isIPv6(this.opts.host) ? 'udp6' : 'udp4');
    const s = this.socket;
    try {
      for (const d of datagrams) {
        await new Promise<void>((resolve, reject) => s.send(d, this.opts.port, this.opts.host, (err) => (err ? reject(err) : resolve())));
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new SinkError('sink_network', `udp://${this.opts.host}:${this.opts.port}: ${e.code ?? ''} ${e.message}`.trim(), { retryable: true, context: { sink: this.opts.sink } });
    }
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
