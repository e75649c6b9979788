/**
 * Errors as values with context. Every component reports problems as a SpyglassError
 * (or a subclass) carrying a stable `code` and the context a person needs to find the
 * problem: which profile, control, file and line. The CLI prints them with `formatError`.
 */

/** Where a problem is: any subset of these is filled in by whoever knows it. */
export interface ErrorContext {
  profile?: string;
  control?: string;
  check?: string;
  file?: string;
  line?: number;
  column?: number;
  table?: string;
  sink?: string;
  path?: string;
  [key: string]: string | number | boolean | undefined;
}

export class SpyglassError extends Error {
  readonly code: string;
  readonly context: ErrorContext;

  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpyglassError';
    this.code = code;
    this.context = context;
  }

  /** A copy with more context (inner context wins: it is the more precise one). */
  withContext(extra: ErrorContext): SpyglassError {
    const copy = new SpyglassError(this.code, this.message, { ...extra, ...this.context }, { cause: this.cause });
    return copy;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.context };
  }
}

/** A problem in a profile, pack or configuration file: always has a file, usually a line. */
export class ProfileError extends SpyglassError {
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(code, message, context, options);
    this.name = 'ProfileError';
  }
}

/** Wraps anything thrown into a SpyglassError, keeping the original as `cause`. */
export function toSpyglassError(err: unknown, code = 'internal', context: ErrorContext = {}): SpyglassError {
  if (err instanceof SpyglassError) return err.withContext(context);
  const nodeErr = err as NodeJS.ErrnoException | undefined;
  if (nodeErr && typeof nodeErr === 'object' && typeof nodeErr.code === 'string' && typeof nodeErr.message === 'string') {
    return new SpyglassError(ioErrorCode(nodeErr.code), describeIoError(nodeErr), { ...context, path: context.path ?? nodeErr.path }, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SpyglassError(code, message, context, { cause: err });
}

function ioErrorCode(errno: string): string {
  switch (errno) {
    case 'ENOENT': return 'not_found';
    case 'EACCES': case 'EPERM': return 'permission_denied';
    case 'ELOOP': return 'symlink_loop';
    case 'EISDIR': return 'is_directory';
    case 'ENOTDIR': return 'not_directory';
    default: return 'io_error';
  }
}

function describeIoError(err: NodeJS.ErrnoException): string {
  const where = err.path ? `${err.path}: ` : '';
  switch (err.code) {
    case 'ENOENT': return `${where}no such file or directory`;
    case 'EACCES': case 'EPERM': return `${where}permission denied`;
    case 'ELOOP': return `${where}too many levels of symbolic links`;
    case 'EISDIR': return `${where}is a directory`;
    case 'ENOTDIR': return `${where}not a directory`;
    default: return err.message;
  }
}

/** `file:line:column: message [profile X, control Y]` — the form editors and people both read. */
export function formatError(err: SpyglassError): string {
  const c = err.context;
  let where = '';
  if (c.file) {
    where = c.file;
    if (c.line !== undefined) where += `:${c.line}`;
    if (c.line !== undefined && c.column !== undefined) where += `:${c.column}`;
    where += ': ';
  }
  const tags: string[] = [];
  if (c.profile) tags.push(`profile ${c.profile}`);
  if (c.control) tags.push(`control ${c.control}`);
  if (c.check) tags.push(`check ${c.check}`);
  if (c.table) tags.push(`table ${c.table}`);
  if (c.sink) tags.push(`sink ${c.sink}`);
  if (c.path && c.path !== c.file && !err.message.includes(c.path)) tags.push(`path ${c.path}`);
  return `${where}${err.message}${tags.length ? ` [${tags.join(', ')}]` : ''}`;
}
