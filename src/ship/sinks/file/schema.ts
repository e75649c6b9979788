/** Options of the file sink (validated, no I/O). */
import { z } from 'zod';
import { size } from '../../../core/config-values.js';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { CommonSinkShape, sinkLegacyKeys } from '../../sink-options.js';

export const FileSinkSchema = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1).describe('file to append JSON lines to'),
  max_bytes: size({ min: 1024 }).prefault('100M').describe('rotate when the file would grow past this'),
  keep: z.number().int().min(0).max(100).default(5).describe('rotated files kept'),
  fsync: z.boolean().default(false).describe('fdatasync after each batch'),
  mode: z.string().regex(/^0?[0-7]{3}$/).default('0640').describe('file mode of new files'),
  ...CommonSinkShape,
}).describe('JSON lines file with size-based rotation');
export type FileSinkConfig = z.output<typeof FileSinkSchema>;

export const FILE_SINK_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({ renamed: { maxBytes: 'max_bytes' } });
