/** stdout: events as JSON lines on standard output (for containers and trying things out). */
import { allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { defineSinkType } from '../../sink-type.js';
import { STDOUT_SINK_LEGACY_KEYS, StdoutSinkSchema, type StdoutSinkConfig } from './schema.js';


export const stdoutSinkType = defineSinkType({
  type: 'stdout',
  description: 'JSON lines on standard output',
  schema: StdoutSinkSchema,
  legacyKeys: STDOUT_SINK_LEGACY_KEYS,
  create: (cfg: StdoutSinkConfig, ctx: SinkContext) => createStdoutSink(cfg, ctx),
});

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
