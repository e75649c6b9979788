/**
 * HTTP(S) for the HTTP sinks: one keep-alive undici pool per endpoint, TLS options, gzip,
 * failover across several endpoints (a network error, 429 or 5xx moves the next request to
 * the next endpoint), timeouts. Errors are SinkErrors whose messages carry no secret: request
 * headers are never echoed and response bodies go through the Redactor.
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import { SinkError, parseRetryAfter } from './sink.js';
import type { Redactor } from '../core/secret.js';

const gzipAsync = promisify(gzip);

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** the endpoint that answered */
  endpoint: string;
}

export interface HttpTransportOptions {
  sink: string;
  endpoints: string[];
  tls: ConnectionOptions;
  timeoutMs: number;
  compression: 'gzip' | 'none';
  headers: Record<string, string>;
  redactor: Redactor;
  connections?: number;
}

export class HttpTransport {
  private readonly agent: Agent;
  private current = 0;

  constructor(private readonly opts: HttpTransportOptions) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: opts.connections ?? 8,
      connect: { ...opts.tls, timeout: opts.timeoutMs },
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  /** The endpoint the next request goes to. */
  get endpoint(): string {
    return this.opts.endpoints[this.current % this.opts.endpoints.length]!;
  }

  /** Moves to the next endpoint (failover). */
  failover(): void {
    this.current = (this.current + 1) % this.opts.endpoints.length;
  }

  /**
   * Sends a request to the current endpoint. Network failures throw a retryable SinkError and
   * fail over; 429 and 5xx responses fail over too but are returned for the sink to classify.
   */
  async send(method: 'POST' | 'GET', path: string, body: string | Buffer | undefined, headers: Record<string, string> = {}, opts: { compress?: boolean; endpoint?: string } = {}): Promise<HttpResponse> {
    const endpoint = opts.endpoint ?? this.endpoint;
    const h: Record<string, string> = { ...this.opts.headers, ...headers };
    let payload = body;
    if (payload !== undefined && (opts.compress ?? true) && this.opts.compression === 'gzip') {
      payload = await gzipAsync(payload, { level: 1 });
      h['content-encoding'] = 'gzip';
    }
    const url = new URL(path, endpoint.endsWith('/') ? endpoint : endpoint + '/');
    try {
      const res = await request(url, { method, headers: h, body: payload, dispatcher: this.agent });
      const text = await res.body.text();
      if (res.statusCode === 429 || res.statusCode >= 500) { if (!opts.endpoint) this.failover(); }
      return { status: res.statusCode, headers: res.headers, body: text, endpoint };
    } catch (err) {
      if (!opts.endpoint) this.failover();
      const e = err as NodeJS.ErrnoException;
      const what = e.code ? `${e.code}${e.message ? ': ' + e.message : ''}` : String(err);
      throw new SinkError('sink_network', this.opts.redactor.redact(`${method} ${url.origin}${url.pathname}: ${what}`), { retryable: true, context: { sink: this.opts.sink } });
    }
  }

  /** A short, secret-free description of a response for reasons and logs. */
  describe(res: HttpResponse): string {
    const body = res.body.length > 300 ? res.body.slice(0, 300) + '…' : res.body;
    return this.opts.redactor.redact(`HTTP ${res.status} from ${new URL(res.endpoint).origin}: ${body}`);
  }

  retryAfter(res: HttpResponse): number | undefined {
    return parseRetryAfter(res.headers['retry-after']);
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => {});
  }
}
