/**
 * uid/gid -> user and group names, read from the root's /etc/passwd and /etc/group (so an
 * image is described with its own accounts). Reloaded when those files change.
 */
import { readAccountFile } from '../host/account-files.js';
import type { HostRoot } from '../core/host-root.js';

export class OwnerNames {
  private users = new Map<number, string>();
  private groups = new Map<number, string>();

  constructor(private readonly root: HostRoot) {}

  async load(): Promise<this> {
    const [passwd, group] = await Promise.all([
      readAccountFile(this.root, 'passwd').catch(() => undefined),
      readAccountFile(this.root, 'group').catch(() => undefined),
    ]);
    this.users = new Map((passwd?.entries ?? []).map((e) => [e.uid, e.name]));
    this.groups = new Map((group?.entries ?? []).map((e) => [e.gid, e.name]));
    return this;
  }

  /** True when a change to this host path means the names must be reloaded. */
  static isAccountFile(p: string): boolean {
    return p === '/etc/passwd' || p === '/etc/group';
  }

  user(uid: number): string | null {
    return this.users.get(uid) ?? null;
  }

  group(gid: number): string | null {
    return this.groups.get(gid) ?? null;
  }
}
