/** stdout: events as JSON lines on standard output (for containers and trying things out). */
import { z } from 'zod';
import { allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { CommonSinkShape } from '../../sink-options.js';

export const StdoutSinkSchema = z.strictObject({
  type: z.literal('stdout'),
  pretty: z.boolean().default(false).describe('indented JSON instead of one line per event'),
  ...CommonSinkShape,
}).describe('JSON lines on standard output');
export type StdoutSinkConfig = z.infer<typeof StdoutSinkSchema>;

export function createStdoutSink(cfg: StdoutSinkConfig, ctx: SinkContext, out: NodeJS.WritableStream = process.stdout): Sink {
  return {
    name: ctx.name, type: 'stdout',
    async send(events) {
      const text = events.map((e) => (cfg.pretty ? JSON.stringify(e, null, 2) : JSON.stringify(e)) + '\n').join('');
      if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
      return allOutcomes(events.length, { status: 'delivered' });
    },
    close: async () => {},
  };
}
