/**
 * file: events as JSON lines, rotated by size (`events.jsonl` → `events.jsonl.1` → ... up to
 * `keep` old files). A batch counts as delivered once written (and fdatasync'ed when `fsync`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { envelopeJson } from '../../envelope.js';
import { SinkError, allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { defineSinkType } from '../../sink-type.js';
import { FILE_SINK_LEGACY_KEYS, FileSinkSchema, type FileSinkConfig } from './schema.js';


export const fileSinkType = defineSinkType({
  type: 'file',
  description: 'JSON lines file with size-based rotation',
  schema: FileSinkSchema,
  legacyKeys: FILE_SINK_LEGACY_KEYS,
  create: createFileSink,
});

function createFileSink(cfg: FileSinkConfig, ctx: SinkContext): Sink {
  const mode = parseInt(cfg.mode, 8);
  const rotate = async () => {
    for (let i = cfg.keep - 1; i >= 1; i--) await fs.promises.rename(`${cfg.path}.${i}`, `${cfg.path}.${i + 1}`).catch(() => {});
    if (cfg.keep > 0) await fs.promises.rename(cfg.path, `${cfg.path}.1`).catch(() => {});
    else await fs.promises.rm(cfg.path, { force: true });
  };
  return {
    name: ctx.name, type: 'file',
    async send(events) {
      const text = Buffer.from(events.map((e) => envelopeJson(e) + '\n').join(''));
      try {
        await fs.promises.mkdir(path.dirname(cfg.path), { recursive: true });
        const size = await fs.promises.stat(cfg.path).then((s) => s.size, () => 0);
        if (size > 0 && size + text.length > cfg.max_bytes) await rotate();
        const fh = await fs.promises.open(cfg.path, 'a', mode);
        try {
          await fh.writeFile(text);
          if (cfg.fsync) await fh.datasync();
        } finally { await fh.close(); }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new SinkError('sink_file', `${cfg.path}: ${e.code ?? e.message}`, { retryable: true, context: { sink: ctx.name, path: cfg.path } });
      }
      return allOutcomes(events.length, { status: 'delivered' });
    },
    close: async () => {},
  };
}
