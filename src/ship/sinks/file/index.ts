/**
 * file: events as JSON lines, rotated by size (`events.jsonl` → `events.jsonl.1` → ... up to
 * `keep` old files). A batch counts as delivered once written (and fdatasync'ed when `fsync`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { envelopeJson } from '../../envelope.js';
import { SinkError, allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { CommonSinkShape } from '../../sink-options.js';

export const FileSinkSchema = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1).describe('file to append JSON lines to'),
  maxBytes: z.number().int().min(1024).default(100 << 20).describe('rotate when the file would grow past this'),
  keep: z.number().int().min(0).max(100).default(5).describe('rotated files kept'),
  fsync: z.boolean().default(false).describe('fdatasync after each batch'),
  mode: z.string().regex(/^0?[0-7]{3}$/).default('0640').describe('file mode of new files'),
  ...CommonSinkShape,
}).describe('JSON lines file with size-based rotation');
export type FileSinkConfig = z.infer<typeof FileSinkSchema>;

export function createFileSink(cfg: FileSinkConfig, ctx: SinkContext): Sink {
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
        if (size > 0 && size + text.length > cfg.maxBytes) await rotate();
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
