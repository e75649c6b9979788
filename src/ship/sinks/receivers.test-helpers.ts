/**
 * Test receivers speaking each sink's real protocol on loopback: node:http servers for HEC
 * (codes, acks), _bulk (per-item statuses), Logstash and GELF HTTP; TCP servers for json_lines
 * and NUL-framed GELF; a UDP socket reassembling GELF chunks. `failNext(n)` makes the next n
 * requests fail the ways real receivers do: a connection reset, 429 with Retry-After, 503.
 */
import http from 'node:http';
import net from 'node:net';
import dgram from 'node:dgram';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Receiver } from './conformance.test-helpers.js';

interface Envelope { id: string; data: { i: number; poison?: boolean } }

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** An HTTP receiver: `handle` gets the body of requests that are not made to fail. */
export async function httpReceiver(handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse, got: string[]) => void, opts: { slowMs?: number } = {}): Promise<Receiver & { port: number; server: http.Server; requests: http.IncomingHttpHeaders[] }> {
  const got: string[] = [];
  let failures = 0;
  let failKind = 0;
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    void readBody(req).then(async (body) => {
      if (failures > 0) {
        failures--;
        const kind = failKind++ % 3;
        if (kind === 0) { req.socket.destroy(); return; } // connection reset
        if (kind === 1) { res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"text":"Too many requests"}'); return; }
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"text":"Server is busy","code":9}');
        return;
      }
      if (opts.slowMs) await new Promise((r) => setTimeout(r, opts.slowMs));
      handle(req, body, res, got);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, server, requests, sinkConfig: {},
    ids: () => got,
    failNext: (n) => { failures = n; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Splunk HEC: token check, invalid-event-number on poison, indexer acknowledgement. */
export async function hecReceiver(token: string, opts: { ack?: boolean; echoAuthOn401?: boolean } = {}) {
  let nextAck = 0;
  const acked = new Set<number>();
  const events: Array<Record<string, unknown>> = [];
  const rx = await httpReceiver((req, body, res, got) => {
    const json = (status: number, obj: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
    if (req.headers.authorization !== `Splunk ${token}`) {
      return json(401, opts.echoAuthOn401 ? { text: `Invalid authorization: ${req.headers.authorization}`, code: 3 } : { text: 'Invalid authorization', code: 3 });
    }
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/services/collector/ack') {
      if (!opts.ack) return json(400, { text: 'ACK is disabled', code: 14 });
      const ids = (JSON.parse(body) as { acks: number[] }).acks;
      return json(200, { acks: Object.fromEntries(ids.map((id) => [String(id), acked.has(id)])) });
    }
    if (url.pathname !== '/services/collector/event') return json(404, { text: 'The requested URL was not found on this server.', code: 404 });
    if (opts.ack && !req.headers['x-splunk-request-channel']) return json(400, { text: 'Data channel is missing', code: 10 });
    const lines = body.split('\n').filter(Boolean);
    for (let n = 0; n < lines.length; n++) {
      let e: { event?: Envelope } & Record<string, unknown>;
      try { e = JSON.parse(lines[n]!) as typeof e; } catch { return json(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': n }); }
      if (!e.event) return json(400, { text: 'Event field is required', code: 12, 'invalid-event-number': n });
      if (e.event.data.poison) return json(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': n });
      got.push(String(e.event.data.i));
      events.push(e);
    }
    if (!opts.ack) return json(200, { text: 'Success', code: 0 });
    const id = nextAck++;
    setTimeout(() => acked.add(id), 30); // indexed a little later
    return json(200, { text: 'Success', code: 0, ackId: id });
  });
  return { ...rx, events, sinkConfig: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token, ack: { enabled: !!opts.ack, poll_interval: '20ms' } } };
}

/** Elasticsearch _bulk: per-item 201, 409 for a known _id, 400 mapper_parsing_exception for poison, one 429 item now and then. */
export async function bulkReceiver() {
  const seen = new Set<string>();
  let counter = 0;
  const rx = await httpReceiver((req, body, res, got) => {
    const lines = body.split('\n').filter(Boolean);
    const items: unknown[] = [];
    let errors = false;
    for (let n = 0; n + 1 < lines.length; n += 2) {
      const action = JSON.parse(lines[n]!) as { create: { _index: string; _id: string } };
      const doc = JSON.parse(lines[n + 1]!) as Envelope & { '@timestamp': string };
      const id = action.create._id;
      let status = 201;
      let error: unknown;
      if (doc.data.poison) { status = 400; error = { type: 'mapper_parsing_exception', reason: 'failed to parse field [data.poison]' }; }
      else if (seen.has(id)) { status = 409; error = { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` }; }
      else if (++counter % 7 === 0) { status = 429; error = { type: 'es_rejected_execution_exception', reason: 'rejected execution' }; }
      else { seen.add(id); got.push(String(doc.data.i)); }
      if (status !== 201) errors = true;
      items.push({ create: { _index: action.create._index, _id: id, status, ...(error ? { error } : { result: 'created' }) } });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: 3, errors, items }));
  });
  return { ...rx, sinkConfig: { type: 'elasticsearch', endpoints: [`http://127.0.0.1:${rx.port}`], auth: { username: 'elastic', password: 'changeme-secret' } } };
}

/** Logstash http input: JSON array; 400 for a poison event (as a filter would drop it). */
export async function logstashHttpReceiver() {
  const rx = await httpReceiver((req, body, res, got) => {
    const events = JSON.parse(body) as Envelope[];
    if (events.some((e) => e.data.poison)) { res.writeHead(400).end('invalid event'); return; }
    for (const e of events) got.push(String(e.data.i));
    res.writeHead(200).end('ok');
  });
  return { ...rx, sinkConfig: { type: 'logstash', mode: 'http', endpoints: [`http://127.0.0.1:${rx.port}`] } };
}

/** GELF HTTP input: one message per POST, 202 Accepted; 400 for a poison message. */
export async function gelfHttpReceiver() {
  const rx = await httpReceiver((req, body, res, got) => {
    const m = JSON.parse(body) as Record<string, unknown>;
    if (m.version !== '1.1' || typeof m.short_message !== 'string' || typeof m.host !== 'string') { res.writeHead(400).end(); return; }
    if (m._data_poison === 'true') { res.writeHead(400).end(); return; }
    got.push(String(m._data_i));
    res.writeHead(202).end();
  });
  return { ...rx, sinkConfig: { type: 'gelf', transport: 'http', endpoint: `http://127.0.0.1:${rx.port}/gelf` } };
}

/** A TCP receiver splitting frames by a delimiter; failNext closes the port for a moment. */
export async function tcpReceiver(delimiter: string, parse: (frame: string) => string | undefined) {
  const got: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        let frame: string;
        if (delimiter === 'octet-counted') {
          // RFC 6587 octet counting: "LEN SP MSG"
          const m = /^(\d+) /.exec(buf);
          if (!m || buf.length < m[0].length + Number(m[1])) break;
          frame = buf.slice(m[0].length, m[0].length + Number(m[1]));
          buf = buf.slice(m[0].length + Number(m[1]));
        } else {
          const at = buf.indexOf(delimiter);
          if (at < 0) break;
          frame = buf.slice(0, at);
          buf = buf.slice(at + delimiter.length);
        }
        const k = parse(Buffer.from(frame, 'latin1').toString('utf8'));
        if (k !== undefined) got.push(k);
      }
    });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, sinkConfig: {} as Record<string, unknown>,
    ids: () => got,
    failNext: (n: number) => {
      if (n <= 0) return;
      for (const s of sockets) s.destroy();
      server.close();
      setTimeout(() => server.listen(port, '127.0.0.1'), 300);
    },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); if (!server.listening) r(); }),
  } satisfies Receiver & { port: number };
}

/** GELF UDP: reassembles chunks, gunzips, records _data_i. */
export async function gelfUdpReceiver() {
  const got: string[] = [];
  const partial = new Map<string, Buffer[]>();
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg) => {
    let whole: Buffer | undefined = msg;
    if (msg[0] === 0x1e && msg[1] === 0x0f) {
      const id = msg.subarray(2, 10).toString('hex');
      const parts = partial.get(id) ?? [];
      parts[msg[10]!] = msg.subarray(12);
      partial.set(id, parts);
      whole = parts.filter(Boolean).length === msg[11] ? Buffer.concat(parts) : undefined;
      if (whole) partial.delete(id);
    }
    if (!whole) return;
    const text = (whole[0] === 0x1f && whole[1] === 0x8b ? gunzipSync(whole) : whole).toString('utf8');
    got.push(String((JSON.parse(text) as Record<string, unknown>)._data_i));
  });
  sock.bind(0, '127.0.0.1');
  await new Promise<void>((r) => sock.once('listening', () => r()));
  const port = (sock.address()).port;
  return {
    port, sinkConfig: { type: 'gelf', transport: 'udp', host: '127.0.0.1', port },
    ids: () => got,
    failNext: () => {},
    close: () => new Promise<void>((r) => sock.close(() => r())),
  } satisfies Receiver & { port: number };
}
