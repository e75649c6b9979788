/**
 * The one error for invalid configuration (agent config and drop-ins, shipping, FIM settings,
 * profile sources): code `config_invalid`, with the file, line and column of the value at fault
 * when known. ConfigErrors carries every problem of a file at once, so a person fixes them in
 * one pass; its message lists them as file:line:column lines.
 */
import { ProfileError, formatError, type ErrorContext, type SpyglassError } from './errors.js';

export const CONFIG_INVALID = 'config_invalid';

export class ConfigError extends ProfileError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(CONFIG_INVALID, message, context, options);
    this.name = 'ConfigError';
  }
}

export class ConfigErrors extends ProfileError {
  constructor(readonly problems: SpyglassError[], what = 'configuration') {
    // no file in the context: each problem line names its own
    super(CONFIG_INVALID, `${problems.length} problem(s) in the ${what}:\n${problems.map(formatError).join('\n')}`);
    this.name = 'ConfigErrors';
  }
}

/** A warning about a configuration that still loads (an old key), with where it is. */
export interface ConfigWarning {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export function formatWarning(w: ConfigWarning): string {
  const where = w.file ? `${w.file}${w.line !== undefined ? `:${w.line}${w.column !== undefined ? `:${w.column}` : ''}` : ''}: ` : '';
  return `${where}warning: ${w.message}`;
}
