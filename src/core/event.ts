/**
 * What every component hands to the shipping pipeline. Producers (audit, query, fim, vuln,
 * agent) build an EventDraft; the pipeline (`src/ship/`) wraps it in the full envelope
 * (host name and id, agent version, custom fields, masking) and spools it durably.
 *
 * Every event's data says what happened under one key, `action`, with a snake_case value
 * (`control`, `finding`, `created`, `spool_dropped`, ...), and its keys are snake_case, so a
 * SIEM search looks the same for every kind. The one exception is the osquery result log of
 * `query` events, whose keys (`hostIdentifier`, `unixTime`, ...) stay as osquery writes them
 * for the tools that read osquery logs. docs/events.md lists the actions of each kind.
 */
/** Every kind of event, the one list sinks route and configure by. */
export const EVENT_KINDS = ['audit', 'query', 'fim', 'vuln', 'agent'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventDraft {
  kind: EventKind;
  /** what produced it: profile id, query name, fim watch label, feed name, agent subsystem */
  source: string;
  /** when the thing happened (defaults to when it was published) */
  time?: Date;
  /** `action` (snake_case) says what happened; the rest describes it */
  data: Record<string, unknown>;
}

/**
 * The same value with every object key in snake_case (`fixedVersion` -> `fixed_version`),
 * through nested objects and arrays: a component keeps its own camelCase types and maps them
 * at the edge where they become event data. Keys already in snake_case stay as they are.
 */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(), snakeCaseKeys(v)]));
}

/** Where producers put events. `publish` resolves once the event is accepted (spooled). */
export interface EventPublisher {
  publish(event: EventDraft): Promise<void>;
}

/** A publisher that prints each event as one JSON line: the CLI's way before a spool exists. */
export class JsonLinesPublisher implements EventPublisher {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async publish(event: EventDraft): Promise<void> {
    const line = JSON.stringify({ time: (event.time ?? new Date()).toISOString(), kind: event.kind, source: event.source, ...event.data }) + '\n';
    if (!this.out.write(line)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
}
