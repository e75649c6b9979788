/**
 * `spyglass fim baseline|check|watch|validate -c fim.yaml`: file integrity monitoring.
 * baseline records the watched trees; check compares them with the baseline and prints every
 * difference as a JSON-lines event (exit 1 when there is one); watch reports changes as they
 * happen (inotify), after a scan that reports what changed while it was not running.
 * Progress goes to stderr on a terminal; the final counts always do.
 */
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';
import { countNoun } from '../../core/count-noun.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

interface FimOptions {
  config: string;
  root: string;
  baseline?: string;
  progress: boolean;
  update?: boolean;
  force?: boolean;
  format?: 'jsonl' | 'text';
}

function formatCounts(c: Record<string, number>): string {
  return Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');
}

async function setup(opts: FimOptions, publisherOut: NodeJS.WritableStream) {
  const [{ loadFimConfig }, { openFimRuntime }, { HostRoot }, { JsonLinesPublisher }] = await Promise.all([
    import('../../fim/config.js'), import('../../fim/fim-runtime.js'), import('../../core/host-root.js'), import('../../core/event.js'),
  ]);
  const config = await loadFimConfig(opts.config);
  const root = new HostRoot(existingRootDir(opts.root));
  const problems: string[] = [];
  const publisher = opts.format === 'text'
    ? { async publish(ev: { data: Record<string, unknown> }) { publisherOut.write(textLine(ev.data) + '\n'); } }
    : new JsonLinesPublisher(publisherOut);
  const rt = await openFimRuntime(config, { root, baseline: opts.baseline, publisher, onProblem: (m) => { problems.push(m); process.stderr.write(`spyglass fim: ${m}\n`); } });
  return { rt, problems };
}

function textLine(d: Record<string, unknown>): string {
  const changes = d.changes as Record<string, { old: unknown; new: unknown }> | undefined;
  const detail = changes ? ' ' + Object.entries(changes).map(([k, v]) => `${k}: ${JSON.stringify(v.old)} -> ${JSON.stringify(v.new)}`).join('; ') : '';
  return `${String(d.action).padEnd(10)} ${d.old_path ? `${d.old_path} -> ` : ''}${d.path}${detail}${d.error ? ` (${d.error})` : ''}`;
}

function progressReporter(enabled: boolean, label: string) {
  const tty = enabled && process.stderr.isTTY;
  const started = Date.now();
  return {
    update(c: { scanned: number; bytes_hashed: number }) {
      if (!tty) return;
      const secs = (Date.now() - started) / 1000;
      process.stderr.write(`\r${label}: ${countNoun(c.scanned, 'file')}, ${(c.bytes_hashed / 1e6).toFixed(0)} MB hashed, ${secs.toFixed(1)} s   `);
    },
    done(c: Record<string, number>) {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(`${label}: ${formatCounts(c)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}

export function register(program: Command): void {
  const fim = program.command('fim').description('File integrity monitoring: baseline, check, realtime watch');
  const common = (cmd: Command) => cmd
    .requiredOption('-c, --config <file>', 'FIM configuration (YAML)')
    .option('--root <dir>', 'read the host through this root directory', '/')
    .option('--baseline <file>', 'baseline database (default: the configuration\'s, then /var/lib/spyglass/fim/baseline.db)')
    .option('--no-progress', 'no progress line on a terminal');

  common(fim.command('baseline').description('Record the watched trees (path, type, size, mode, owner, inode, times, hashes, link targets)'))
    .action(async (opts: FimOptions) => {
      const { rt } = await setup(opts, process.stdout);
      const progress = progressReporter(opts.progress, 'fim baseline');
      try {
        const counts = await new (await import('../../fim/tree-scanner.js')).TreeScanner(rt).scan({ mode: 'baseline', detection: 'scan', update: true, force: true, onProgress: (c) => progress.update(c) });
        progress.done({ ...counts, recorded: rt.store.count() });
      } finally {
        await rt.close();
      }
    });

  common(fim.command('check').description('Compare the watched trees with the baseline; print every difference (exit 1 when there is one)'))
    .option('--update', 'write what was found into the baseline (accept the changes)')
    .option('--force', 'hash every file, even when size, mtime, ctime and inode are unchanged')
    .option('-f, --format <format>', 'jsonl (events) or text', 'jsonl')
    .action(async (opts: FimOptions) => {
      if (opts.format !== 'jsonl' && opts.format !== 'text') throw new SpyglassError('usage', `--format must be jsonl or text, not "${String(opts.format)}"`);
      const { BaselineStore } = await import('../../fim/baseline-store.js');
      const { loadFimConfig } = await import('../../fim/config.js');
      const { DEFAULT_BASELINE } = await import('../../fim/fim-runtime.js');
      const file = opts.baseline ?? (await loadFimConfig(opts.config)).baseline ?? DEFAULT_BASELINE;
      if (!BaselineStore.exists(file)) throw new SpyglassError('no_baseline', `${file}: no baseline yet; run spyglass fim baseline first`, { file });
      const { rt } = await setup(opts, process.stdout);
      const progress = progressReporter(opts.progress, 'fim check');
      let counts;
      try {
        counts = await new (await import('../../fim/tree-scanner.js')).TreeScanner(rt).scan({ mode: 'compare', detection: 'scan', update: !!opts.update, force: opts.force, onProgress: (c) => progress.update(c) });
        progress.done({ ...counts });
      } finally {
        await rt.close();
      }
      if (counts.created + counts.modified + counts.attributes + counts.deleted + counts.moved + counts.unreadable > 0) throw new ExitCode(1);
    });

  common(fim.command('watch').description('Report changes as they happen (inotify), after reporting what changed since the last run'))
    .action(async (opts: FimOptions) => {
      const { FimMonitor } = await import('../../fim/fim-monitor.js');
      const { rt } = await setup(opts, process.stdout);
      const monitor = new FimMonitor(rt, { onStatus: (m) => process.stderr.write(`spyglass fim: ${m}\n`) });
      await monitor.start();
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await monitor.stop();
      await rt.close();
    });

  fim.command('validate').description('Check a FIM configuration file and print it with defaults applied')
    .requiredOption('-c, --config <file>', 'FIM configuration (YAML)')
    .action(async (opts: { config: string }) => {
      const { loadFimConfig } = await import('../../fim/config.js');
      process.stdout.write(JSON.stringify(await loadFimConfig(opts.config), null, 2) + '\n');
    });
}
