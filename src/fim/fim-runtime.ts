/**
 * Builds the runtime (validate, then build): opens the baseline, starts the inspector pool,
 * loads owner names. One `FimRuntime` serves scans and the realtime monitor alike.
 */
import { HostRoot } from '../core/host-root.js';
import type { EventPublisher } from '../core/event.js';
import type { FimConfig } from './config.js';
import { BaselineStore } from './baseline-store.js';
import { InspectorPool, type InspectorOptions } from './inspector-pool.js';
import { OwnerNames } from './owner-names.js';
import { WatchScope } from './path-filter.js';
import type { FimRuntime } from './tree-scanner.js';

export const DEFAULT_BASELINE = '/var/lib/spyglass/fim/baseline.db';

export interface OpenOptions {
  root?: HostRoot;
  /** baseline file; default: the configuration's `baseline`, then DEFAULT_BASELINE */
  baseline?: string;
  publisher: EventPublisher;
  onProblem?: (message: string) => void;
  /** test hook, see InspectorOptions.failOpen */
  failOpen?: InspectorOptions['failOpen'];
}

export async function openFimRuntime(config: FimConfig, opts: OpenOptions): Promise<FimRuntime & { close(): Promise<void> }> {
  const root = opts.root ?? new HostRoot('/');
  const store = new BaselineStore(opts.baseline ?? config.baseline ?? DEFAULT_BASELINE);
  const pool = new InspectorPool({
    algorithms: config.hashes, maxHashSize: config.max_hash_size, maxContentSize: config.diff.max_size,
    workers: config.workers, failOpen: opts.failOpen,
  });
  const names = await new OwnerNames(root).load();
  const scopes = config.watch.map((w) => new WatchScope(w, config));
  return {
    root, config, scopes, store, pool, names, publisher: opts.publisher, onProblem: opts.onProblem,
    async close() { await pool.close(); store.close(); },
  };
}
