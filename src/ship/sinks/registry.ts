/**
 * Every sink type: its config schema and its factory. To add a sink, make a folder
 * `sinks/<type>/index.ts` exporting both and add one line here; the folder name, the `type`
 * key in config and the registry key are the same string.
 */
import type { Sink } from '../sink.js';
import type { SinkContext } from '../sink-context.js';
import { SplunkHecSchema, createSplunkHecSink, type SplunkHecConfig } from './splunk_hec/index.js';
import { ElasticsearchSchema, createElasticsearchSink, type ElasticsearchConfig } from './elasticsearch/index.js';
import { LogstashSchema, createLogstashSink, type LogstashConfig } from './logstash/index.js';
import { GelfSchema, createGelfSink, type GelfConfig } from './gelf/index.js';
import { SyslogSchema, createSyslogSink, type SyslogConfig } from './syslog/index.js';
import { FileSinkSchema, createFileSink, type FileSinkConfig } from './file/index.js';
import { StdoutSinkSchema, createStdoutSink, type StdoutSinkConfig } from './stdout/index.js';

export const SINK_SCHEMAS = [SplunkHecSchema, ElasticsearchSchema, LogstashSchema, GelfSchema, SyslogSchema, FileSinkSchema, StdoutSinkSchema] as const;

export type SinkConfig = SplunkHecConfig | ElasticsearchConfig | LogstashConfig | GelfConfig | SyslogConfig | FileSinkConfig | StdoutSinkConfig;

/** Builds a sink (I/O: reads secrets and certificates). */
export function createSink(cfg: SinkConfig, ctx: SinkContext): Sink {
  switch (cfg.type) {
    case 'splunk_hec': return createSplunkHecSink(cfg, ctx);
    case 'elasticsearch': return createElasticsearchSink(cfg, ctx);
    case 'logstash': return createLogstashSink(cfg, ctx);
    case 'gelf': return createGelfSink(cfg, ctx);
    case 'syslog': return createSyslogSink(cfg, ctx);
    case 'file': return createFileSink(cfg, ctx);
    case 'stdout': return createStdoutSink(cfg, ctx);
  }
}
