/** Public surface of the shipping component: config schema, pipeline, envelope and sink contract. */
export { ShippingConfigSchema, SpoolConfigSchema, type ShippingConfig, type ShippingConfigInput } from './config.js';
export { createPipeline, type ShippingPipeline, type PipelineOptions, type PipelineStatus } from './pipeline.js';
export { EnvelopeBuilder, type EventEnvelope } from './envelope.js';
export { SinkError, type Sink, type EventOutcome } from './sink.js';
export { Spool } from './spool/spool.js';
