/**
 * The agent daemon: one process that runs every job on schedule, watches files continuously,
 * and ships everything through the durable spool. It opens no listening socket: data goes
 * out through the sinks, profiles come in by pull, and its status is a file.
 *
 * start():  configuration → shipping pipeline → host facts → profile sources → job providers
 *           (audit, queries, fim, vuln, inventory) → scheduler, services, watchdogs, status.
 * reload(): (SIGHUP) a new configuration and profile set; on any problem the running setup
 *           stays and the problem is reported. Spooled events are never touched.
 * stop():   (SIGTERM) stops scheduling, gives running jobs and in-flight sends a bounded grace
 *           time, flushes and closes the spool. Whatever is not yet sent stays spooled.
 */
import os from 'node:os';
import path from 'node:path';
import { HostRoot } from '../core/host-root.js';
import { readOsRelease } from '../host/os-release.js';
import { SpyglassError, formatError, toSpyglassError } from '../core/errors.js';
import { formatWarning } from '../core/config-error.js';
import { snakeCaseKeys, type EventDraft, type EventPublisher } from '../core/event.js';
import { AGENT_VERSION } from '../core/version.js';
import { createPipeline, type ShippingPipeline } from '../ship/pipeline.js';
import type { ShippingConfigInput } from '../ship/config.js';
import { shippingStateDir } from '../ship/state-dir.js';
import { shippedProfilesDir } from '../audit/profile/shipped-profiles.js';
import { targetHostOf } from '../audit/profile/targeting.js';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';
import type { AgentContext, AgentService, JobProvider } from './agent-context.js';
import { JobScheduler, type JobDefinition, type JobState } from '../core/scheduler/job-scheduler.js';
import { systemClock, type Clock } from '../core/scheduler/clock.js';
import { settledWithin } from '../core/settled-within.js';
import { CpuGovernor } from './watchdog/cpu-governor.js';
import { MemoryWatchdog } from './watchdog/memory-watchdog.js';
import { ProfileStore, type UpdateResult } from '../profiles/profile-store.js';
import type { TrustAnchors } from '../profiles/signing.js';
import { loadProfileTrust } from './profile-trust.js';
import { prepareStateDir } from './state-dir-check.js';
import { agentSecretValues } from './own-secrets.js';
import { createProfileSource } from '../profiles/sources/registry.js';
import type { ProfileSource } from '../profiles/sources/profile-source.js';
import { writeStatus, type AgentStatus } from './status-file.js';
import { auditJobs } from './jobs/audit-job.js';
import { queryJobs, inventoryJobs } from './jobs/query-service.js';
import { fimJobs } from './jobs/fim-service.js';
import { vulnJobs } from './jobs/vuln-job.js';

export const DEFAULT_PROVIDERS: readonly JobProvider[] = [auditJobs, queryJobs, fimJobs, vulnJobs, inventoryJobs];

export interface AgentOptions {
  configFile: string;
  providers?: readonly JobProvider[];
  clock?: Clock;
  /** lines for the journal (stderr by default) */
  log?: (line: string) => void;
  /** how often the status file is rewritten (default 10 s) */
  statusIntervalMs?: number;
  /** how long SIGHUPs must be quiet before the reload they ask for runs (default 500 ms) */
  reloadSettleMs?: number;
  /** an error the agent cannot recover from (a reload that could not restore the last setup) */
  onFatal?: (err: unknown) => void;
}

const MAX_RECENT_ERRORS = 50;
/** after an error nothing caught: time to ship the report and close the spool */
export const FATAL_STOP_GRACE_MS = 5_000;

/** What a pipeline was built from (the host id and tags go into every envelope): a new one is needed only when this changes. */
function pipelineKey(config: AgentConfig): string {
  return JSON.stringify([config.shipping ?? null, config.state_dir, config.root, config.host]);
}

/** Without a `shipping:` section, events go to a rotated JSON-lines file in the state dir. */
function defaultShipping(stateDir: string): ShippingConfigInput {
  return { sinks: { local: { type: 'file', path: path.join(stateDir, 'events', 'events.jsonl') } } };
}

export class Agent {
  private config!: AgentConfig;
  private root!: HostRoot;
  private pipeline!: ShippingPipeline;
  private scheduler!: JobScheduler;
  private services: AgentService[] = [];
  private store!: ProfileStore;
  private host!: AgentContext['host'];
  private governor = new CpuGovernor({ share: 0.1 });
  private memoryWatchdog?: MemoryWatchdog;
  private statusTimer?: NodeJS.Timeout;
  private readonly startedAt = new Date();
  private readonly errors: AgentStatus['errors'] = [];
  private readonly rssAtJobStart = new Map<string, number>();
  private lastProfileUpdate?: UpdateResult;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private cpuAtStart = process.cpuUsage();
  /** the pipeline key of the running pipeline; undefined once it is stopped */
  private runningPipeline?: string;
  private trust?: TrustAnchors;
  /** reloads and the stop run one after another on this chain, never two at once */
  private lifecycle: Promise<unknown> = Promise.resolve();
  private reloadTimer?: NodeJS.Timeout;
  private reloadQueued = false;
  private stopping = false;
  private statusWrite?: Promise<void>;
  private statusDirty = false;

  constructor(private readonly options: AgentOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? ((line) => process.stderr.write(`spyglass agent: ${line}\n`));
  }

  /** Events the agent publishes about itself. */
  private agentEvent(data: Record<string, unknown>): Promise<void> {
    return (this.pipeline?.publish({ kind: 'agent', source: 'agent', data }) ?? Promise.resolve()).catch((err) => this.log(`cannot spool an agent event: ${toSpyglassError(err).message}`));
  }

  private reportError(message: string, data: Record<string, unknown> = {}): void {
    this.errors.push({ at: new Date().toISOString(), message });
    if (this.errors.length > MAX_RECENT_ERRORS) this.errors.splice(0, this.errors.length - MAX_RECENT_ERRORS);
    this.log(message);
    void this.agentEvent({ action: 'error', message, ...data });
  }

  async start(): Promise<void> {
    const { config, warnings } = await loadAgentConfig(this.options.configFile);
    for (const w of warnings) this.log(formatWarning(w));
    this.trust = await loadProfileTrust(config.profiles);
    this.config = config;
    this.governor = new CpuGovernor({ share: config.watchdog.cpu_percent / 100 });
    await prepareStateDir(config.state_dir);
    this.root = new HostRoot(config.root);
    try {
      os.setPriority(10); // scans run at low priority; the unit also sets Nice= and CPUQuota=
    } catch {
      /* not permitted in this environment: the CPU governor still applies */
    }
    await this.openPipeline(config);
    try {
      const osRelease = await readOsRelease(this.root);
      this.host = { id: this.pipeline.host.id, ...targetHostOf(osRelease, { hostname: this.pipeline.host.name, tags: config.host.tags }) };
      await this.buildJobs();
    } catch (err) {
      // Nothing half-started may keep the process alive: close the spool before reporting.
      await this.teardownJobs(1000).catch(() => undefined);
      await this.closePipeline(1000).catch(() => undefined);
      throw err;
    }
    this.memoryWatchdog = new MemoryWatchdog({
      limitBytes: config.watchdog.max_memory,
      runningJobs: () => this.scheduler.states().filter((s) => s.running).map((s) => ({ name: s.name, rssAtStart: this.rssAtJobStart.get(s.name) ?? 0 })),
      stopJob: (name, reason) => {
        this.scheduler.hold(name, this.clock.now() + config.watchdog.hold, reason);
        this.reportError(`watchdog stopped job ${name}: ${reason}; held back for ${Math.round(config.watchdog.hold / 1000)} s`, { job: name });
      },
    });
    this.memoryWatchdog.start();
    this.statusTimer = setInterval(() => void this.writeStatus(), this.options.statusIntervalMs ?? 10_000);
    this.statusTimer.unref();
    await this.agentEvent({ action: 'started', version: AGENT_VERSION, jobs: this.scheduler.states().map((s) => s.name), services: this.services.map((s) => s.name) });
    await this.writeStatus();
    this.log(`started: ${this.scheduler.states().map((s) => `${s.name} (${s.schedule})`).join(', ') || 'no scheduled jobs'}${this.services.length ? `; services: ${this.services.map((s) => s.name).join(', ')}` : ''}`);
  }

  /** The profile sources of the configuration, with their pull intervals. */
  private sources(): Array<{ source: ProfileSource; interval: number }> {
    const cache = (i: number) => path.join(this.config.state_dir, 'profiles', `source-${i}`);
    return this.config.profiles.sources.map((s, i) => createProfileSource(s, { cacheDir: cache(i) }));
  }

  private async updateProfiles(source: ProfileSource): Promise<void> {
    const result = await this.store.update(source);
    this.lastProfileUpdate = result;
    if (result.status === 'rejected') {
      for (const problem of result.problems) this.reportError(`profile update from ${source.description} rejected: ${formatError(problem)}`, { source: source.description, version: result.offeredVersion, file: problem.context.file });
    } else if (result.status === 'updated') {
      await this.agentEvent({ action: 'profiles_updated', source: source.description, version: result.activeVersion });
      this.log(`profiles updated from ${source.description} to ${result.activeVersion}`);
    }
  }

  private async openPipeline(config: AgentConfig): Promise<void> {
    this.pipeline = await createPipeline(config.shipping ?? defaultShipping(config.state_dir), {
      stateDir: shippingStateDir(config.state_dir), root: new HostRoot(config.root), host: config.host, log: this.log, secrets: agentSecretValues(config),
    });
    this.pipeline.start();
    this.runningPipeline = pipelineKey(config);
  }

  private async closePipeline(graceMs: number): Promise<void> {
    if (this.runningPipeline === undefined) return;
    this.runningPipeline = undefined;
    await this.pipeline.stop(graceMs);
  }

  private async buildJobs(): Promise<void> {
    const config = this.config;
    this.store = new ProfileStore({ stateDir: config.state_dir, trust: this.trust });
    // Turning require_signature on applies to the set already in use too, even when no source answers.
    for (const problem of await this.store.verifyActive()) {
      this.reportError(`active profile set taken out of use (signatures are required): ${formatError(problem)}`, { version: problem.context.version, file: problem.context.file });
    }
    const sources = this.sources();
    for (const { source } of sources) await this.updateProfiles(source); // the first pull happens before the jobs are built
    const ctx: AgentContext = {
      config,
      root: this.root,
      host: this.host,
      publisher: this.pipeline as EventPublisher,
      stateDir: config.state_dir,
      governor: this.governor,
      profileDir: async () => (sources.length ? await this.store.activeDir() : undefined) ?? shippedProfilesDir(),
      reportError: (message, data) => this.reportError(message, data),
    };
    const jobs: JobDefinition[] = [];
    const services: AgentService[] = [];
    for (const provider of this.options.providers ?? DEFAULT_PROVIDERS) {
      try {
        const built = await provider.build(ctx);
        jobs.push(...built.jobs);
        services.push(...(built.services ?? []));
      } catch (err) {
        this.reportError(`${provider.name}: not started: ${formatError(toSpyglassError(err))}`);
      }
    }
    sources.forEach(({ source, interval }, i) => jobs.push({ name: `profiles-${i + 1}`, schedule: { every: Math.max(interval, 1000) }, run: () => this.updateProfiles(source) }));
    jobs.push({ name: 'health', schedule: { every: config.health.interval }, run: async () => this.agentEvent({ action: 'health', ...(snakeCaseKeys(await this.collectStatus()) as Record<string, unknown>) }) });

    this.scheduler = new JobScheduler(this.clock, this.host.id, { jobFinished: (state, error) => this.onJobFinished(state, error) });
    for (const job of jobs) {
      const run = job.run;
      this.scheduler.add({ ...job, run: (signal) => { this.rssAtJobStart.set(job.name, process.memoryUsage.rss()); return run(signal); } });
    }
    this.services = [];
    if (this.stopping) return; // a stop came while the profiles were pulled: start nothing
    for (const service of services) {
      try {
        await service.start();
        this.services.push(service);
      } catch (err) {
        this.reportError(`${service.name}: not started: ${formatError(toSpyglassError(err))}`);
      }
    }
    this.scheduler.start();
  }

  private onJobFinished(state: JobState, error?: SpyglassError): void {
    if (error && state.lastOutcome !== 'stopped') this.reportError(`job ${state.name} ${state.lastOutcome}: ${formatError(error)}`, { job: state.name });
    void this.agentEvent({ action: 'job', job: state.name, outcome: state.lastOutcome, duration_ms: (state.lastEnd ?? 0) - (state.lastStart ?? 0), missed_slots: state.missedSlots });
    void this.writeStatus();
  }

  private async teardownJobs(graceMs: number): Promise<void> {
    await this.scheduler?.stop(graceMs);
    for (const service of this.services) await service.stop().catch((err) => this.log(`${service.name}: stop failed: ${toSpyglassError(err).message}`));
    this.services = [];
  }

  /**
   * SIGHUP. Signals are folded: a reload runs once they have been quiet for a moment, and never
   * while another reload or the stop is under way (a storm of ten gives one reload).
   */
  requestReload(): void {
    if (this.stopping) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      if (this.reloadQueued || this.stopping) return;
      this.reloadQueued = true;
      this.lifecycle = this.lifecycle.then(async () => {
        this.reloadQueued = false;
        if (!this.stopping) await this.reload();
      }).catch((err) => (this.options.onFatal ? this.options.onFatal(err) : this.log(`reload failed: ${toSpyglassError(err).message}`)));
    }, this.options.reloadSettleMs ?? 500);
  }

  /**
   * A new configuration and profile set. What can be checked without stopping anything (the
   * files, the trust anchors) is checked first; a problem found later (a sink that cannot be
   * built) puts the previous setup back. Either way the agent keeps running.
   */
  async reload(): Promise<boolean> {
    let next: AgentConfig;
    let nextTrust: TrustAnchors | undefined;
    try {
      const loaded = await loadAgentConfig(this.options.configFile);
      for (const w of loaded.warnings) this.log(formatWarning(w));
      next = loaded.config;
      nextTrust = await loadProfileTrust(next.profiles);
      await prepareStateDir(next.state_dir);
    } catch (err) {
      const problems = (err as { problems?: SpyglassError[] }).problems ?? [toSpyglassError(err)];
      for (const p of problems) this.reportError(`reload refused, configuration kept: ${formatError(p)}`);
      return false;
    }
    if (this.stopping) return false;
    const previous = { config: this.config, trust: this.trust };
    await this.teardownJobs(10_000);
    try {
      await this.applySetup(next, nextTrust);
    } catch (err) {
      // Put the setup that ran before back; if even that fails the agent cannot go on (onFatal).
      await this.teardownJobs(1000);
      await this.applySetup(previous.config, previous.trust);
      this.reportError(`reload failed, previous configuration restored: ${formatError(toSpyglassError(err))}`);
      await this.writeStatus();
      return false;
    }
    await this.agentEvent({ action: 'reloaded' });
    this.log('configuration reloaded');
    await this.writeStatus();
    return true;
  }

  /** Runs `config` (jobs torn down already): a new pipeline when its sinks or state changed, then the jobs. */
  private async applySetup(config: AgentConfig, trust: TrustAnchors | undefined): Promise<void> {
    if (this.runningPipeline !== pipelineKey(config)) {
      // New sinks: the old ones get a short flush; what they have not sent stays spooled for the new ones.
      if (this.runningPipeline !== undefined) await this.pipeline.flush(5_000);
      await this.closePipeline(5_000);
      await this.openPipeline(config);
    }
    this.config = config;
    this.trust = trust;
    this.root = new HostRoot(config.root);
    this.host = { ...this.host, tags: config.host.tags };
    await this.buildJobs();
  }

  /** SIGTERM: bounded graceful stop, within `graceMs` of being called. Returns when the spool is closed. */
  async stop(graceMs = 20_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    const left = () => deadline - Date.now();
    this.stopping = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.memoryWatchdog?.stop();
    // A reload under way gets a part of the grace; it starts nothing once `stopping` is set.
    await settledWithin(this.lifecycle, graceMs / 4);
    await this.teardownJobs(Math.max(500, Math.floor(left() / 2)));
    await this.agentEvent({ action: 'stopping' });
    await this.pipeline.flush(Math.max(200, left() - Math.min(2_000, left() / 4)));
    await settledWithin(this.writeStatus(), 500);
    await this.closePipeline(Math.max(200, left() - 200));
  }

  /**
   * An error nothing caught (the CLI's last resort): reported as an agent event and in the
   * status file, then a short stop so the spool is closed cleanly before the process exits.
   */
  async fail(message: string): Promise<void> {
    this.errors.push({ at: new Date().toISOString(), message });
    if (this.runningPipeline !== undefined) await settledWithin(this.agentEvent({ action: 'fatal', message }), 1_000);
    if (this.config) await settledWithin(this.writeStatus(), 500);
    if (this.runningPipeline !== undefined) await settledWithin(this.stop(FATAL_STOP_GRACE_MS), FATAL_STOP_GRACE_MS + 500);
  }

  private async collectStatus(): Promise<AgentStatus> {
    const cpu = process.cpuUsage(this.cpuAtStart);
    const wallMs = Date.now() - this.startedAt.getTime();
    const ship = this.pipeline.status();
    const fim = this.services.find((s) => s.name === 'fim')?.status?.();
    return {
      version: AGENT_VERSION,
      pid: process.pid,
      hostId: this.host.id,
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      profileSet: {
        version: await this.store.activeVersion(),
        source: this.lastProfileUpdate?.source,
        lastUpdate: this.lastProfileUpdate?.status,
        lastProblem: this.lastProfileUpdate?.status === 'rejected' ? this.lastProfileUpdate.problems.map((p) => p.message).join('; ') : undefined,
      },
      jobs: this.scheduler.states(),
      sinks: ship.sinks.map((s) => ({ name: s.sink, pending: s.depth, oldestAgeSeconds: s.depth ? s.oldestAgeSeconds : null, delivered: s.delivered, deadLettered: s.deadLettered, lastError: s.lastError })),
      spool: { bytes: ship.spool.bytes, events: ship.spool.appended, droppedOldest: ship.spool.droppedRecords, corruptSkipped: ship.spool.corruptRecords, refusedWriteFailed: ship.spool.rejectedRecords, checkpointFailures: ship.spool.checkpointFailures },
      ...(fim ? { fim: { watchedPaths: fim.watches ?? 0, unwatchedPaths: fim.unwatched ?? 0, overflows: fim.overflows ?? 0, events: fim.reported ?? 0 } } : {}),
      resources: {
        rssBytes: process.memoryUsage.rss(),
        cpuSharePercent: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
        throttledMs: this.governor.throttledMs,
        watchdogStops: this.memoryWatchdog?.stops ?? 0,
      },
      errors: [...this.errors],
    };
  }

  /** Writes the status file; writes asked for while one is under way are folded into one more. */
  async writeStatus(): Promise<void> {
    if (this.statusWrite) {
      this.statusDirty = true;
      return this.statusWrite;
    }
    this.statusWrite = (async () => {
      do {
        this.statusDirty = false;
        try {
          await writeStatus(this.config.state_dir, await this.collectStatus());
        } catch (err) {
          this.log(`cannot write the status file: ${toSpyglassError(err).message}`);
        }
      } while (this.statusDirty);
    })().finally(() => { this.statusWrite = undefined; });
    return this.statusWrite;
  }

  /** For tests and `--once`: publish through the pipeline directly. */
  publish(event: EventDraft): Promise<void> {
    return this.pipeline.publish(event);
  }

  async runJobNow(name: string): Promise<JobState> {
    return this.scheduler.runNow(name);
  }
}
