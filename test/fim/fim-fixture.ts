/** Builds a FIM runtime over a temp directory with a publisher that keeps the events, for tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft, EventPublisher } from '../../src/core/event.js';
import { fimConfigFromObject, type FimConfigInput } from '../../src/fim/config.js';
import { openFimRuntime } from '../../src/fim/fim-runtime.js';
import type { FimEventData } from '../../src/fim/fim-event.js';
import type { InspectorOptions } from '../../src/fim/inspector-pool.js';

export class CollectingPublisher implements EventPublisher {
  readonly events: FimEventData[] = [];
  readonly times: number[] = [];
  async publish(ev: EventDraft): Promise<void> {
    this.events.push(ev.data as FimEventData);
    this.times.push(Date.now());
  }
  take(): FimEventData[] {
    this.times.length = 0;
    return this.events.splice(0);
  }
  find(action: string, p: string): FimEventData | undefined {
    return this.events.find((e) => e.action === action && e.path === p);
  }
}

export function tempTree(): { dir: string; tree: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-fim-'));
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  return { dir, tree, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function fimRuntime(dir: string, config: Partial<FimConfigInput> & { watch: FimConfigInput['watch'] }, extra: { failOpen?: InspectorOptions['failOpen'] } = {}) {
  const publisher = new CollectingPublisher();
  const problems: string[] = [];
  const rt = await openFimRuntime(fimConfigFromObject({ baseline: path.join(dir, 'baseline.db'), ...config }), { publisher, onProblem: (m) => problems.push(m), failOpen: extra.failOpen });
  return { rt, publisher, problems };
}

/** Waits until `cond` holds (polling every 20 ms), failing after `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
