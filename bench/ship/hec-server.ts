/**
 * An acknowledging Splunk HEC server for the benchmark, run in its own process so its CPU is
 * not counted against the agent: parses every event, acks every request on the next poll.
 * Prints its port on stdout; prints the event count on SIGTERM... and on GET /count.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

let events = 0;
let nextAck = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/count') { res.end(String(events)); return; }
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const text = body.toString('utf8');
    if (req.url?.startsWith('/services/collector/ack')) {
      const ids = (JSON.parse(text) as { acks: number[] }).acks;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ acks: Object.fromEntries(ids.map((id) => [id, true])) }));
      return;
    }
    for (const line of text.split('\n')) if (line) { JSON.parse(line); events++; }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'Success', code: 0, ackId: nextAck++ }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
