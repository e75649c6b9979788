/**
 * Walks the top level of a large JSON object without parsing all of it: for each member it
 * reports the key and the byte range of its value, so a caller parses only the members it
 * needs (the Debian tracker's ~30 000 source packages, of which a host has a few hundred).
 * The skipped values are checked for structure (strings closed, brackets balanced), so a
 * truncated or cut-off file is always an error with its byte offset and line, never a
 * silently shorter result.
 */
import { SpyglassError } from '../../core/errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Line (1-based) and column of a byte offset, for error messages. */
export function lineAt(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let p = buf.indexOf(0x0a, 0); p !== -1 && p < offset; p = buf.indexOf(0x0a, p + 1)) {
    line++;
    lineStart = p + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export class JsonObjectScanner {
  constructor(private readonly buf: Buffer, private readonly file: string) {}

  fail(message: string, offset: number): SpyglassError {
    const { line, column } = lineAt(this.buf, Math.min(offset, this.buf.length));
    return new SpyglassError('feed_malformed', `${message} (byte ${offset})`, { file: this.file, line, column, offset });
  }

  private skipSpace(p: number): number {
    const buf = this.buf;
    while (p < buf.length && isSpace(buf[p]!)) p++;
    return p;
  }

  /** Index just past the string that opens at p (buf[p] is '"'). */
  private skipString(p: number): number {
    const buf = this.buf;
    let q = p + 1;
    for (;;) {
      const close = buf.indexOf(QUOTE, q);
      if (close < 0) throw this.fail('unterminated string: the file is truncated', p);
      let backslashes = 0;
      for (let k = close - 1; k > p && buf[k] === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return close + 1;
      q = close + 1;
    }
  }

  /** Index just past the value that starts at p: strings and nested brackets are matched. */
  private skipValue(p: number): number {
    const buf = this.buf;
    const c = buf[p];
    if (c === QUOTE) return this.skipString(p);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      // a scalar: runs to the next delimiter
      let q = p;
      while (q < buf.length && buf[q] !== COMMA && buf[q] !== CLOSE_BRACE && buf[q] !== CLOSE_BRACKET && !isSpace(buf[q]!)) q++;
      if (q === p) throw this.fail('expected a value', p);
      return q;
    }
    const stack: number[] = [];
    let q = p;
    while (q < buf.length) {
      const ch = buf[q]!;
      if (ch === QUOTE) { q = this.skipString(q); continue; }
      if (ch === OPEN_BRACE || ch === OPEN_BRACKET) stack.push(ch);
      else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        const open = stack.pop();
        if ((ch === CLOSE_BRACE && open !== OPEN_BRACE) || (ch === CLOSE_BRACKET && open !== OPEN_BRACKET)) throw this.fail(`unbalanced '${String.fromCharCode(ch)}'`, q);
        if (stack.length === 0) return q + 1;
      }
      q++;
    }
    throw this.fail(`value opened here is never closed: the file is truncated`, p);
  }

  /**
   * Calls `member(key, start, end)` for each member of the top-level object, in order.
   * Throws 'feed_malformed' for anything but one well-formed top-level object.
   */
  forEachMember(member: (key: string, start: number, end: number) => void): number {
    const buf = this.buf;
    let p = this.skipSpace(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
    if (buf[p] !== OPEN_BRACE) throw this.fail(p >= buf.length ? 'empty file' : 'expected a JSON object at the top level', p);
    p = this.skipSpace(p + 1);
    let count = 0;
    if (buf[p] === CLOSE_BRACE) return this.expectEnd(p + 1, count);
    for (;;) {
      if (buf[p] !== QUOTE) throw this.fail(p >= buf.length ? 'the file ends inside the top-level object: truncated' : 'expected a member name', p);
      const keyEnd = this.skipString(p);
      let key: string;
      try {
        key = JSON.parse(buf.toString('utf8', p, keyEnd)) as string;
      } catch {
        throw this.fail('invalid member name', p);
      }
      p = this.skipSpace(keyEnd);
      if (buf[p] !== COLON) throw this.fail(`expected ':' after "${key}"`, p);
      p = this.skipSpace(p + 1);
      if (p >= buf.length) throw this.fail(`the file ends before the value of "${key}": truncated`, p);
      const end = this.skipValue(p);
      member(key, p, end);
      count++;
      p = this.skipSpace(end);
      if (buf[p] === COMMA) { p = this.skipSpace(p + 1); continue; }
      if (buf[p] === CLOSE_BRACE) return this.expectEnd(p + 1, count);
      throw this.fail(p >= buf.length ? 'the file ends inside the top-level object: truncated' : `expected ',' or '}' after the value of "${key}"`, p);
    }
  }

  private expectEnd(p: number, count: number): number {
    const q = this.skipSpace(p);
    if (q < this.buf.length) throw this.fail('unexpected data after the top-level object', q);
    return count;
  }

  /** Parses the value in [start, end); a syntax error names its position in the file. */
  parseValue(start: number, end: number): unknown {
    try {
      return JSON.parse(this.buf.toString('utf8', start, end));
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const at = m ? start + Number(m[1]) : start;
      throw this.fail(`invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, at);
    }
  }
}
