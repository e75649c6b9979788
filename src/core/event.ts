/**
 * What every component hands to the shipping pipeline. Producers (audit, query, fim, vuln,
 * agent) build an EventDraft; the pipeline (`src/ship/`) wraps it in the full envelope
 * (host name and id, agent version, custom fields, masking) and spools it durably.
 */
export type EventKind = 'audit' | 'query' | 'fim' | 'vuln' | 'agent';

export interface EventDraft {
  kind: EventKind;
  /** what produced it: profile id, query name, fim watch label, feed name, agent subsystem */
  source: string;
  /** when the thing happened (defaults to when it was published) */
  time?: Date;
  data: Record<string, unknown>;
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
