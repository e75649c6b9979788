/** What a sink factory gets besides its own config. */
import type { Redactor } from '../core/secret.js';

export interface SinkContext {
  /** the sink's name (its key in `sinks:`) */
  name: string;
  redactor: Redactor;
  stateDir: string;
  log: (msg: string) => void;
}
