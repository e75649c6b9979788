/**
 * What the agent hands to each of its job providers (audit, queries, fim, vuln, inventory):
 * the configuration, the host, where to publish events, where to keep state, the CPU
 * governor long loops must pace themselves with, and the active profile directory.
 */
import type { HostRoot } from '../core/host-root.js';
import type { EventPublisher } from '../core/event.js';
import type { AgentConfig } from './config/agent-config.js';
import type { TargetHost } from '../audit/profile/targeting.js';
import type { JobDefinition } from '../core/scheduler/job-scheduler.js';
import type { CpuGovernor } from './watchdog/cpu-governor.js';

export interface AgentContext {
  config: AgentConfig;
  root: HostRoot;
  host: TargetHost & { id: string };
  publisher: EventPublisher;
  stateDir: string;
  governor: CpuGovernor;
  /** directory of the active profile set (pulled and verified), or the built-in profiles */
  profileDir(): Promise<string>;
  /** a problem to show in status and send as an agent event */
  reportError(message: string, data?: Record<string, unknown>): void;
}

/** A long-running part of the agent beside the scheduled jobs (real-time file watching). */
export interface AgentService {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** a few numbers for the status file */
  status?(): Record<string, number>;
}

/**
 * One component's contribution to the agent: scheduled jobs and/or continuous services,
 * built from the configuration. Called at start and again on every reload (SIGHUP).
 */
export interface JobProvider {
  name: string;
  build(ctx: AgentContext): Promise<{ jobs: JobDefinition[]; services?: AgentService[] }>;
}
