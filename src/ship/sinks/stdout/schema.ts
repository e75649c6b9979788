/** Options of the stdout sink (validated, no I/O). */
import { z } from 'zod';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { CommonSinkShape, sinkLegacyKeys } from '../../sink-options.js';

export const StdoutSinkSchema = z.strictObject({
  type: z.literal('stdout'),
  pretty: z.boolean().default(false).describe('indented JSON instead of one line per event'),
  ...CommonSinkShape,
}).describe('JSON lines on standard output');
export type StdoutSinkConfig = z.output<typeof StdoutSinkSchema>;

export const STDOUT_SINK_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys();
