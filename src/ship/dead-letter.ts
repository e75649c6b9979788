/**
 * The dead-letter file of a sink: events its receiver permanently rejected, one JSON line
 * each with the time, the sink and the reason, so they can be inspected and replayed. Kept in
 * `<stateDir>/dead-letter/<sink>.jsonl`, rotated to `.1` at `maxBytes` (one old file kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EventEnvelope } from './envelope.js';

export class DeadLetterFile {
  readonly file: string;
  count = 0;

  constructor(dir: string, readonly sink: string, private readonly maxBytes = 64 << 20) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, `${sink}.jsonl`);
  }

  async write(entries: Array<{ event: EventEnvelope | string; reason: string }>): Promise<void> {
    if (entries.length === 0) return;
    const time = new Date().toISOString();
    const text = entries.map((e) => JSON.stringify({ time, sink: this.sink, reason: e.reason, event: e.event }) + '\n').join('');
    const size = await fs.promises.stat(this.file).then((s) => s.size, () => 0);
    if (size > 0 && size + text.length > this.maxBytes) await fs.promises.rename(this.file, `${this.file}.1`);
    const fh = await fs.promises.open(this.file, 'a', 0o600);
    try {
      await fh.writeFile(text);
      await fh.datasync();
    } finally { await fh.close(); }
    this.count += entries.length;
  }
}
