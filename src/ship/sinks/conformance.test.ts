/** Every sink runs the shared delivery conformance suite against a real receiver of its protocol. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSinkConformance, type Receiver } from './conformance.test-helpers.js';
import { bulkReceiver, gelfHttpReceiver, gelfUdpReceiver, hecReceiver, logstashHttpReceiver, tcpReceiver } from './receivers.test-helpers.js';

runSinkConformance({ name: 'splunk_hec', rejectsPoison: true, start: () => hecReceiver('11111111-2222-3333-4444-555555555555') });
runSinkConformance({ name: 'splunk_hec with indexer acknowledgement', rejectsPoison: true, start: () => hecReceiver('11111111-2222-3333-4444-555555555555', { ack: true }) });
runSinkConformance({ name: 'elasticsearch', rejectsPoison: true, start: () => bulkReceiver() });
runSinkConformance({ name: 'logstash http', rejectsPoison: true, start: () => logstashHttpReceiver() });
runSinkConformance({
  name: 'logstash tcp json_lines', rejectsPoison: false,
  start: async () => {
    const rx = await tcpReceiver('\n', (line) => String((JSON.parse(line) as { data: { i: number } }).data.i));
    return { ...rx, sinkConfig: { type: 'logstash', mode: 'tcp', host: '127.0.0.1', port: rx.port } };
  },
});
runSinkConformance({ name: 'gelf http', rejectsPoison: true, start: () => gelfHttpReceiver() });
runSinkConformance({
  name: 'gelf tcp', rejectsPoison: false,
  start: async () => {
    const rx = await tcpReceiver('\0', (frame) => String((JSON.parse(frame) as Record<string, unknown>)._data_i));
    return { ...rx, sinkConfig: { type: 'gelf', transport: 'tcp', host: '127.0.0.1', port: rx.port } };
  },
});
runSinkConformance({ name: 'gelf udp', rejectsPoison: false, skip: { retry: 'UDP has no failure the sender can see' }, start: () => gelfUdpReceiver() });
runSinkConformance({
  name: 'syslog tcp (octet-counted RFC 5424)', rejectsPoison: false,
  start: async () => {
    const rx = await tcpReceiver('octet-counted', (msg) => {
      const m = /^<(\d+)>1 \S+ \S+ spyglass \d+ audit \[spyglass@32473 [^\]]*\] (\{.*\})$/.exec(msg);
      if (!m) throw new Error(`not an RFC 5424 message: ${msg}`);
      return String((JSON.parse(m[2]!) as { data: { i: number } }).data.i);
    });
    return { ...rx, sinkConfig: { type: 'syslog', transport: 'tcp', host: '127.0.0.1', port: rx.port } };
  },
});
runSinkConformance({
  name: 'file', rejectsPoison: false,
  start: async (): Promise<Receiver> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-filesink-'));
    const file = path.join(dir, 'out/events.jsonl');
    let failing = 0;
    return {
      sinkConfig: { type: 'file', path: file, max_bytes: 4096, keep: 50 },
      ids: () => {
        const files = fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)) : [];
        return files.flatMap((f) => fs.readFileSync(path.join(path.dirname(file), f), 'utf8').split('\n').filter(Boolean).map((l) => String((JSON.parse(l) as { data: { i: number } }).data.i)));
      },
      failNext: (n) => {
        // make the directory unwritable by putting a file where it should be
        failing = n;
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'out'), 'not a directory');
        setTimeout(() => { fs.rmSync(path.join(dir, 'out'), { force: true }); failing = 0; }, 300);
      },
      close: async () => { void failing; fs.rmSync(dir, { recursive: true, force: true }); },
    };
  },
});
