/**
 * Walks the members of a large top-level JSON object read in chunks, without parsing all of
 * it and without holding all of it: for each member the caller gets the key and may parse
 * the value (the Debian tracker: ~30 000 source packages in 50-90 MB, of which a host has
 * a few hundred). Memory stays at one chunk plus the largest member.
 *
 * Skipped values are still checked for structure (strings closed, brackets balanced), so a
 * truncated or cut-off file is always an error with its byte offset and line, never a
 * silently shorter result. A member cut by a chunk boundary is scanned again from its start
 * once more data is in (the read size doubles while one member outgrows it).
 */
import { promises as fsp } from 'node:fs';
import { SpyglassError } from '../../core/errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Where bytes come from: a file, or a buffer in tests. `null` at the end. */
export interface ByteSource {
  read(size: number): Promise<Buffer | null>;
}

export function fileSource(handle: fsp.FileHandle): ByteSource {
  return {
    async read(size) {
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buf, 0, size, null);
      return bytesRead === 0 ? null : buf.subarray(0, bytesRead);
    },
  };
}

export function bufferSource(data: Buffer, maxChunk = Infinity): ByteSource {
  let at = 0;
  return {
    async read(size) {
      if (at >= data.length) return null;
      const end = Math.min(data.length, at + Math.min(size, maxChunk));
      const out = data.subarray(at, end);
      at = end;
      return out;
    },
  };
}

/** One member's value, handed to the callback. */
export interface MemberValue {
  /** byte offset of the value in the file */
  offset: number;
  /** parses the value (JSON.parse of its bytes); a syntax error names its position */
  parse(): unknown;
  /** an error about this value, with its position in the file */
  fail(message: string): SpyglassError;
}

/** Thrown inside a scan when the window ends before the current member does. */
const INCOMPLETE = Symbol('incomplete');

export interface StreamOptions {
  /** bytes per read (default 1 MiB: measured faster and leaner than larger reads) */
  chunkSize?: number;
}

/**
 * Calls `member(key, value)` for each member of the top-level object, in file order, and
 * resolves to the number of members. Rejects with 'feed_malformed' (file, line, column,
 * offset) for anything but one well-formed top-level object.
 */
export async function forEachTopLevelMember(source: ByteSource, file: string, member: (key: string, value: MemberValue) => void, options: StreamOptions = {}): Promise<number> {
  const chunkSize = options.chunkSize ?? 1024 * 1024;
  let buf: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of buf[0]
  let linesBefore = 0; // newlines in the bytes dropped before buf
  let eof = false;
  let pos = 0;
  let phase: 'open' | 'first' | 'next' | 'after' | 'end' = 'open';
  let count = 0;

  const fail = (message: string, at: number): SpyglassError => {
    let line = linesBefore + 1;
    let lineStart = -1;
    const limit = Math.min(at, buf.length);
    for (let p = buf.indexOf(NEWLINE, 0); p !== -1 && p < limit; p = buf.indexOf(NEWLINE, p + 1)) {
      line++;
      lineStart = p;
    }
    const offset = base + at;
    const column = lineStart >= 0 ? at - lineStart : undefined;
    return new SpyglassError('feed_malformed', `${message} (byte ${offset})`, { file, line, ...(column !== undefined ? { column } : {}), offset });
  };
  /** p is past the window: more data, or the file really ends here */
  const need = (p: number, what: string): void => {
    if (p < buf.length) return;
    if (!eof) throw INCOMPLETE;
    throw fail(what, p);
  };
  const skipSpace = (p: number): number => {
    while (p < buf.length && isSpace(buf[p]!)) p++;
    return p;
  };
  const skipString = (p: number): number => {
    let q = p + 1;
    for (;;) {
      const close = buf.indexOf(QUOTE, q);
      if (close < 0) {
        if (!eof) throw INCOMPLETE;
        throw fail('unterminated string: the file is truncated', p);
      }
      let backslashes = 0;
      for (let k = close - 1; k > p && buf[k] === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return close + 1;
      q = close + 1;
    }
  };
  const skipValue = (p: number): number => {
    const c = buf[p];
    if (c === QUOTE) return skipString(p);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      let q = p;
      while (q < buf.length && buf[q] !== COMMA && buf[q] !== CLOSE_BRACE && buf[q] !== CLOSE_BRACKET && !isSpace(buf[q]!)) q++;
      if (q >= buf.length && !eof) throw INCOMPLETE; // the scalar may go on in the next chunk
      if (q === p) throw fail('expected a value', p);
      return q;
    }
    const stack: number[] = [];
    let q = p;
    while (q < buf.length) {
      const ch = buf[q]!;
      if (ch === QUOTE) { q = skipString(q); continue; }
      if (ch === OPEN_BRACE || ch === OPEN_BRACKET) stack.push(ch);
      else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        const open = stack.pop();
        if ((ch === CLOSE_BRACE && open !== OPEN_BRACE) || (ch === CLOSE_BRACKET && open !== OPEN_BRACKET)) throw fail(`unbalanced '${String.fromCharCode(ch)}'`, q);
        if (stack.length === 0) return q + 1;
      }
      q++;
    }
    if (!eof) throw INCOMPLETE;
    throw fail('value opened here is never closed: the file is truncated', p);
  };

  for (;;) {
    try {
      if (phase === 'open') {
        if (base === 0 && buf[0] === 0xef && buf.length < 3 && !eof) throw INCOMPLETE; // a byte-order mark cut by the first read
        let p = base === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
        p = skipSpace(Math.max(p, pos));
        if (p >= buf.length && eof && base + p === 0) throw fail('empty file', p);
        need(p, 'empty file');
        if (buf[p] !== OPEN_BRACE) throw fail('expected a JSON object at the top level', p);
        pos = p + 1;
        phase = 'first';
      }
      if (phase === 'first' || phase === 'next') {
        const p = skipSpace(pos);
        need(p, 'the file ends inside the top-level object: truncated');
        if (phase === 'first' && buf[p] === CLOSE_BRACE) {
          pos = p + 1;
          phase = 'end';
        } else {
          if (buf[p] !== QUOTE) throw fail('expected a member name', p);
          const keyEnd = skipString(p);
          let key: string;
          try {
            key = JSON.parse(buf.toString('utf8', p, keyEnd)) as string;
          } catch {
            throw fail('invalid member name', p);
          }
          let q = skipSpace(keyEnd);
          need(q, `the file ends after "${key}": truncated`);
          if (buf[q] !== COLON) throw fail(`expected ':' after "${key}"`, q);
          q = skipSpace(q + 1);
          need(q, `the file ends before the value of "${key}": truncated`);
          const end = skipValue(q);
          const window = buf;
          const start = q;
          member(key, {
            offset: base + start,
            parse: () => {
              try {
                return JSON.parse(window.toString('utf8', start, end));
              } catch (err) {
                const m = /position (\d+)/.exec((err as Error).message);
                throw fail(`invalid JSON in "${key}": ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, m ? start + Number(m[1]) : start);
              }
            },
            fail: (message) => fail(message, start),
          });
          count++;
          pos = end;
          phase = 'after';
        }
      }
      if (phase === 'after') {
        const p = skipSpace(pos);
        need(p, 'the file ends inside the top-level object: truncated');
        if (buf[p] === COMMA) { pos = p + 1; phase = 'next'; continue; }
        if (buf[p] !== CLOSE_BRACE) throw fail(`expected ',' or '}' after a value`, p);
        pos = p + 1;
        phase = 'end';
      }
      if (phase === 'end') {
        const p = skipSpace(pos);
        if (p < buf.length) throw fail('unexpected data after the top-level object', p);
        if (eof) return count;
        pos = p;
        throw INCOMPLETE;
      }
    } catch (err) {
      if (err !== INCOMPLETE) throw err;
      // drop what is done, keep the unfinished member, read more
      for (let p = buf.indexOf(NEWLINE, 0); p !== -1 && p < pos; p = buf.indexOf(NEWLINE, p + 1)) linesBefore++;
      const rest = buf.subarray(pos);
      base += pos;
      pos = 0;
      const more = await source.read(Math.max(chunkSize, rest.length));
      if (more === null) eof = true;
      buf = more === null ? Buffer.from(rest) : Buffer.concat([rest, more]);
    }
  }
}

/** A source that also tells whether a byte string occurs anywhere in what it read. */
export function watchingSource(inner: ByteSource, needle: string): { source: ByteSource; found(): boolean } {
  const pattern = Buffer.from(needle);
  let tail = Buffer.alloc(0);
  let found = false;
  return {
    found: () => found,
    source: {
      async read(size) {
        const chunk = await inner.read(size);
        if (chunk && !found) {
          // the needle may straddle two reads: look at the end of the last one too
          const joined = Buffer.concat([tail, chunk]);
          if (joined.indexOf(pattern) >= 0) found = true;
          tail = Buffer.from(joined.subarray(Math.max(0, joined.length - pattern.length + 1)));
        }
        return chunk;
      },
    },
  };
}
