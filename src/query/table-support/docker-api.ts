/**
 * The Docker Engine API over /var/run/docker.sock, read synchronously for the docker_*
 * tables: container list + inspect, image list. No socket -> no rows (Docker is not
 * installed or not running), with no time spent.
 */
import fs from 'node:fs';
import type { HostRoot } from '../../core/host-root.js';
import { unixHttpGetSync } from './unix-http-sync.js';

export const DOCKER_SOCKET = '/var/run/docker.sock';

/** The socket's path on this machine when it exists under the root, else undefined. */
export function dockerSocket(root: HostRoot): string | undefined {
  const p = root.join(DOCKER_SOCKET);
  try { return fs.statSync(p).isSocket() ? p : undefined; } catch { return undefined; }
}

function json<T>(status: number, body: string, what: string): T {
  if (status !== 200) throw new Error(`Docker API ${what}: HTTP ${status} ${body.slice(0, 200)}`);
  return JSON.parse(body) as T;
}

export interface ContainerSummary { Id: string; Names?: string[]; Image?: string; ImageID?: string; Command?: string; Created?: number; State?: string; Status?: string }
export interface ContainerInspect {
  Id: string; Path?: string; State?: { Pid?: number; StartedAt?: string; FinishedAt?: string };
  Config?: { Entrypoint?: string[] | string | null; Env?: string[] | null };
  HostConfig?: { Privileged?: boolean; SecurityOpt?: string[] | null; ReadonlyRootfs?: boolean };
}
export interface ImageSummary { Id: string; Created?: number; Size?: number; RepoTags?: string[] | null }

/** Every container (running or not) with its inspect document. */
export function listContainers(socketPath: string): Array<{ summary: ContainerSummary; inspect: ContainerInspect | undefined }> {
  const [list] = unixHttpGetSync(socketPath, ['/containers/json?all=1']);
  const summaries = json<ContainerSummary[]>(list!.status, list!.body, 'GET /containers/json');
  if (summaries.length === 0) return [];
  const inspects = unixHttpGetSync(socketPath, summaries.map((c) => `/containers/${encodeURIComponent(c.Id)}/json`));
  return summaries.map((summary, i) => ({ summary, inspect: inspects[i]!.status === 200 ? JSON.parse(inspects[i]!.body) as ContainerInspect : undefined }));
}

export function listImages(socketPath: string): ImageSummary[] {
  const [r] = unixHttpGetSync(socketPath, ['/images/json']);
  return json<ImageSummary[]>(r!.status, r!.body, 'GET /images/json');
}
