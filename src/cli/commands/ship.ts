/**
 * `spyglass ship test --config FILE [--count N] [--state-dir DIR] [--timeout S]`: sends test
 * events through the configured sinks (a real spool in a temporary or given state dir) and
 * reports per sink; exit 0 when every sink delivered, 1 otherwise.
 * `spyglass ship status --state-dir DIR [--json]`: the spool's size and each sink's backlog,
 * read-only (works while the agent runs). DIR is the agent's state_dir (src/ship/state-dir.ts).
 * `spyglass ship schema`: the JSON Schema of the shipping configuration.
 * The config file is YAML or JSON: either the shipping section itself or a document with a
 * `shipping:` key (the agent config).
 */
import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpyglassError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';

export function register(program: Command): void {
  const ship = program.command('ship').description('Event shipping: test sinks, show the spool');

  ship.command('test')
    .description('Send test events through every configured sink and report what happened')
    .requiredOption('-c, --config <file>', 'YAML or JSON file: the shipping section or an agent config with `shipping:`')
    .option('--count <n>', 'test events to send', '1')
    .option('--state-dir <dir>', 'state directory, laid out as the agent\'s (spool in <dir>/ship/spool; not a running agent\'s: a spool has one writer); default: a temporary one, removed after')
    .option('--timeout <seconds>', 'how long to wait for delivery', '15')
    .action(async (opts: { config: string; count: string; stateDir?: string; timeout: string }) => {
      const [{ parseYamlFile, readYamlTextSync, yamlReadProblem }, { shippingConfigFromYaml }, { formatWarning }, { createPipeline }, { shippingStateDir }] = await Promise.all([
        import('../../core/yaml-file.js'), import('../../ship/config.js'), import('../../core/config-error.js'), import('../../ship/pipeline.js'), import('../../ship/state-dir.js'),
      ]);
      let text: string;
      try {
        text = readYamlTextSync(opts.config);
      } catch (err) {
        throw new SpyglassError('config_invalid', `${opts.config}: ${yamlReadProblem(err, opts.config)}`, { file: opts.config });
      }
      const { config: section, warnings } = shippingConfigFromYaml(parseYamlFile(text, opts.config));
      for (const w of warnings) process.stderr.write(`spyglass: ${formatWarning(w)}\n`);
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1) throw new SpyglassError('usage', `--count: expected a positive integer, got "${opts.count}"`);
      const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-ship-test-'));
      try {
        let pipeline;
        try {
          pipeline = await createPipeline(section, { stateDir: shippingStateDir(stateDir), log: (m) => process.stderr.write(`spyglass: ${m}\n`) });
        } catch (err) {
          if (err instanceof SpyglassError) throw err.withContext({ file: opts.config });
          throw err;
        }
        pipeline.start();
        for (let i = 0; i < count; i++) await pipeline.publish({ kind: 'agent', source: 'ship-test', data: { action: 'test', message: 'spyglass ship test', n: i + 1, of: count } });
        const ok = await pipeline.flush(Number(opts.timeout) * 1000);
        const status = pipeline.status();
        await pipeline.stop(0);
        for (const s of status.sinks) {
          const state = s.depth === 0 && s.deadLettered === 0 ? 'delivered' : s.deadLettered > 0 ? 'REJECTED (dead-lettered)' : 'NOT DELIVERED';
          process.stdout.write(`${s.sink} (${s.type}): ${state}${s.lastError ? ` — last error: ${s.lastError}` : ''}\n`);
        }
        if (!ok || status.sinks.some((s) => s.deadLettered > 0)) throw new ExitCode(1);
      } finally {
        if (!opts.stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
      }
    });

  ship.command('status')
    .description('Show the spool size and each sink\'s backlog (read-only)')
    .requiredOption('--state-dir <dir>', 'the agent\'s state_dir (the spool is in <dir>/ship/spool)')
    .option('--json', 'print JSON')
    .action(async (opts: { stateDir: string; json?: boolean }) => {
      const [{ inspectSpool }, { findSpoolDir }] = await Promise.all([import('../../ship/spool/inspect.js'), import('../../ship/state-dir.js')]);
      const found = findSpoolDir(opts.stateDir);
      if (!('dir' in found)) throw new SpyglassError('not_found', `${opts.stateDir}: no spool here (looked for ${found.looked.join(' and ')})`, { path: opts.stateDir });
      const info = inspectSpool(found.dir);
      if (opts.json) { process.stdout.write(JSON.stringify(info, null, 2) + '\n'); return; }
      process.stdout.write(`spool ${info.dir}: ${info.segments} segment(s), ${info.bytes} bytes, events ${info.oldestSeq}..${info.headSeq - 1}\n`);
      if (info.strays.length) process.stdout.write(`  not segments (named like one, not regular files; never read): ${info.strays.join(', ')}\n`);
      for (const s of info.sinks) {
        if (s.invalid) {
          process.stdout.write(`  ${s.sink}: cursor file unusable (${s.invalid}); the agent restarts this sink at the oldest event: ${s.depth} event(s) to send\n`);
          continue;
        }
        const age = s.oldestAgeSeconds === undefined ? '' : `, oldest ${s.oldestAgeSeconds.toFixed(1)} s old`;
        process.stdout.write(`  ${s.sink}: ${s.depth} event(s) not yet delivered${age}\n`);
      }
    });

  ship.command('schema')
    .description('Print the JSON Schema of the shipping configuration')
    .action(async () => {
      const [{ z }, { ShippingConfigSchema }] = await Promise.all([import('zod'), import('../../ship/config.js')]);
      process.stdout.write(JSON.stringify(z.toJSONSchema(ShippingConfigSchema, { io: 'input', unrepresentable: 'any' }), null, 2) + '\n');
    });
}
