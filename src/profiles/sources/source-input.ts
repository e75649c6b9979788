/**
 * What a configuration may hand to a profile source: a git repository URL, a ref and a
 * subdirectory. Every value is checked before git sees it, because git reads a value that
 * starts with "-" as an option (`--upload-pack=CMD` runs CMD) and some transports run programs
 * (`ext::`). These checks are pure (no I/O): `spyglass config check` and the sources call the
 * same functions, so a configuration that passes the check is one the source will run.
 */
import { z } from 'zod';

/** Transports the documentation lists; handed to git as GIT_ALLOW_PROTOCOL. */
export const ALLOWED_GIT_PROTOCOLS = ['https', 'ssh', 'git', 'file'] as const;

/** Why a repository URL is refused, or undefined when git may be given it. */
export function gitUrlProblem(url: string): string | undefined {
  if (url.length === 0) return 'the url is empty';
  if (url.startsWith('-')) return 'a url cannot start with "-" (git would read it as an option)';
  if (/[\0-\x1f\x7f]/.test(url)) return 'the url contains a control character';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!(ALLOWED_GIT_PROTOCOLS as readonly string[]).includes(scheme)) {
      return `protocol "${scheme}" is not allowed (allowed: ${ALLOWED_GIT_PROTOCOLS.map((p) => `${p}://`).join(', ')}, or an absolute path)`;
    }
    const host = /^[^:]+:\/\/(?:[^@/]*@)?([^/:]*)/.exec(url)?.[1] ?? '';
    if (host.startsWith('-')) return 'the host name cannot start with "-"';
    return undefined;
  }
  if (url.startsWith('/')) return undefined;
  // "transport::address" runs a remote helper (ext:: runs any command): never.
  if (url.includes('::')) return 'remote helpers ("transport::address") are not allowed';
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(.*)$/.exec(url);
  if (scp) {
    if ((scp[1] ?? '').startsWith('-') || scp[2]!.startsWith('-')) return 'the user and host name cannot start with "-"';
    return undefined; // user@host:path is ssh
  }
  return 'expected https://, ssh://, git://, file://, user@host:path or an absolute path';
}

/**
 * Why a ref is refused, or undefined: a full commit id, or a name that `git check-ref-format
 * --allow-onelevel` accepts and that cannot be read as an option or a revision expression.
 */
export function gitRefProblem(ref: string): string | undefined {
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(ref)) return undefined;
  if (ref.length === 0) return 'the ref is empty';
  if (ref.length > 255) return 'the ref is longer than 255 characters';
  if (ref.startsWith('-')) return 'a ref cannot start with "-" (git would read it as an option)';
  if (/[\0-\x20\x7f~^:?*[\\]/.test(ref)) return 'a ref cannot contain spaces, control characters or any of ~ ^ : ? * [ \\';
  if (ref === '@') return 'a ref cannot be "@"';
  if (ref.includes('@{')) return 'a ref cannot contain "@{"';
  if (ref.includes('..')) return 'a ref cannot contain ".."';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'a ref cannot start or end with "/" or contain "//"';
  if (ref.endsWith('.')) return 'a ref cannot end with "."';
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) return 'no part of a ref can start with "."';
    if (part.endsWith('.lock')) return 'no part of a ref can end with ".lock"';
  }
  return undefined;
}

/**
 * Why a subdirectory of a checkout or bundle is refused, or undefined: it must be a relative
 * path that stays inside (no "..", not absolute). The source also checks the resolved
 * directory on disk, since a symlink inside the checkout could still point out of it.
 */
export function subdirProblem(subdir: string): string | undefined {
  if (subdir.length === 0) return 'the subdir is empty';
  if (/[\0-\x1f\x7f]/.test(subdir)) return 'the subdir contains a control character';
  if (subdir.startsWith('/')) return 'the subdir must be relative to the top of the repository or bundle';
  if (subdir.split('/').includes('..')) return 'the subdir cannot contain ".." (it must stay inside the repository or bundle)';
  return undefined;
}

/** A string schema refused with the reason `problem` gives (the sources run the same checks). */
export function checkedString(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const why = problem(value);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });
}
