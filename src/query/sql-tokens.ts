/**
 * A tokenizer for SQLite's SQL, the same lexical rules as SQLite's own (tokenize.c): quoted
 * strings and identifiers, comments, numbers, blobs, bind variables, operators. The engine uses
 * it to split a shell buffer into statements, find the tables a statement names (to load only
 * those), spot statements that would change state, read literal LIKE patterns, and point a
 * caret at the token SQLite's error message names.
 */

export type TokenType = 'space' | 'comment' | 'string' | 'ident' | 'number' | 'blob' | 'variable' | 'operator' | 'semicolon';

export interface Token {
  type: TokenType;
  /** the token as written */
  text: string;
  /** for identifiers and strings: the unquoted value */
  value: string;
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const TWO_CHAR_OPS = new Set(['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->']);

/** Splits SQL into tokens; never throws (an unterminated string runs to the end). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end);
    tokens.push({ type, text, value: value ?? text, start, end });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      push('space', start, i);
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
      push('comment', start, i);
    } else if (c === "'" || c === '"' || c === '`') {
      const { end, value } = readQuoted(sql, i, c);
      i = end;
      push(c === "'" ? 'string' : 'ident', start, i, value);
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? sql.length : close + 1;
      push('ident', start, i, sql.slice(start + 1, close < 0 ? sql.length : close));
    } else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const { end } = readQuoted(sql, i + 1, "'");
      i = end;
      push('blob', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      i = readNumber(sql, i);
      push('number', start, i);
    } else if (IDENT_START.test(c)) {
      while (i < sql.length && IDENT_PART.test(sql[i]!)) i++;
      push('ident', start, i);
    } else if (c === '?' || c === ':' || c === '@' || c === '$') {
      i++;
      while (i < sql.length && IDENT_PART.test(sql[i]!)) i++;
      push('variable', start, i);
    } else if (c === ';') {
      i++;
      push('semicolon', start, i);
    } else {
      const two = sql.slice(i, i + 2);
      i += TWO_CHAR_OPS.has(two) ? 2 : 1;
      if (two === '->' && sql[i] === '>') i++;
      push('operator', start, i);
    }
  }
  return tokens;
}

function readQuoted(sql: string, at: number, quote: string): { end: number; value: string } {
  let i = at + 1;
  let value = '';
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) { value += quote; i += 2; continue; }
      return { end: i + 1, value };
    }
    value += sql[i];
    i++;
  }
  return { end: sql.length, value };
}

function readNumber(sql: string, at: number): number {
  let i = at;
  if (sql[i] === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
    i += 2;
    while (i < sql.length && /[0-9a-fA-F_]/.test(sql[i]!)) i++;
    return i;
  }
  while (i < sql.length && /[0-9_]/.test(sql[i]!)) i++;
  if (sql[i] === '.') { i++; while (i < sql.length && /[0-9_]/.test(sql[i]!)) i++; }
  if (sql[i] === 'e' || sql[i] === 'E') {
    const sign = sql[i + 1] === '+' || sql[i + 1] === '-' ? 1 : 0;
    if (/[0-9]/.test(sql[i + 1 + sign] ?? '')) { i += 1 + sign; while (i < sql.length && /[0-9]/.test(sql[i]!)) i++; }
  }
  return i;
}

/** Tokens that mean something to the parser (no spaces or comments). */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
}

/**
 * Splits a buffer into complete statements (each ending with `;`, which is dropped) and the
 * incomplete rest. A `;` inside a string, identifier or comment does not end a statement.
 * (CREATE TRIGGER bodies are not split correctly; triggers are refused anyway.)
 */
export function splitStatements(buffer: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let from = 0;
  for (const t of tokenize(buffer)) {
    if (t.type !== 'semicolon') continue;
    const text = buffer.slice(from, t.start).trim();
    if (text) statements.push(text);
    from = t.end;
  }
  return { statements, rest: buffer.slice(from) };
}

/** True when the text holds nothing but spaces and comments. */
export function isBlank(sql: string): boolean {
  return significantTokens(sql).length === 0;
}

/** A literal condition found in the statement text: `[qualifier.]column OP 'literal'`. */
export interface LiteralCondition {
  qualifier?: string;
  column: string;
  op: '=' | 'LIKE' | 'GLOB';
  value: string | number;
}

/**
 * Literal `=`, `LIKE` and `GLOB` conditions on columns, read from the text (`NOT LIKE` and
 * comparisons with a non-literal are skipped). Used only where SQLite cannot push a
 * condition down itself; SQLite still applies every condition to the rows, so a condition
 * read here that does not apply (an OR branch, a column of another table) can only widen a
 * scan, never change a result.
 */
export function literalConditions(tokens: Token[]): LiteralCondition[] {
  const out: LiteralCondition[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'ident') continue;
    let qualifier: string | undefined;
    let j = i + 1;
    let column = t.value;
    if (tokens[j]?.text === '.' && tokens[j + 1]?.type === 'ident') {
      qualifier = t.value;
      column = tokens[j + 1]!.value;
      j += 2;
    }
    const opTok = tokens[j];
    if (!opTok) continue;
    const op = opTok.text.toUpperCase();
    if (op !== '=' && op !== '==' && op !== 'LIKE' && op !== 'GLOB') continue;
    if (tokens[i - 1]?.text === '.') continue; // the column part of a qualified name, seen already
    const lit = tokens[j + 1];
    if (!lit || (lit.type !== 'string' && lit.type !== 'number')) continue;
    const after = tokens[j + 2]?.text.toUpperCase();
    if (after === 'ESCAPE' || after === '||' || after === '+' || after === '-' || after === '*' || after === '/') continue;
    out.push({ qualifier, column: column.toLowerCase(), op: op === '==' ? '=' : (op as LiteralCondition['op']), value: lit.type === 'number' ? Number(lit.text) : lit.value });
  }
  return out;
}

/**
 * Table references with their aliases: `FROM processes p`, `JOIN hash AS h`, `, users u`.
 * Only names in `known` count. Maps alias (and the bare name) to the table name.
 */
export function tableAliases(tokens: Token[], known: (name: string) => boolean): Map<string, string> {
  const aliases = new Map<string, string>();
  const stop = new Set(['WHERE', 'ON', 'USING', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'CROSS', 'NATURAL', 'FULL', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'HAVING']);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'ident' || !known(t.value.toLowerCase())) continue;
    if (tokens[i + 1]?.text === '.' || tokens[i - 1]?.text === '.') continue;
    const name = t.value.toLowerCase();
    aliases.set(name, name);
    let j = i + 1;
    if (tokens[j]?.text.toUpperCase() === 'AS') j++;
    const a = tokens[j];
    if (a && a.type === 'ident' && !stop.has(a.text.toUpperCase())) aliases.set(a.value.toLowerCase(), name);
  }
  return aliases;
}

/**
 * The statement with every double-quoted identifier whose value is `value` written as a
 * single-quoted string literal, or undefined when there is none. This is SQLite's legacy
 * "DQS" rule, which osquery's SQLite keeps and ours (built with SQLITE_DQS=0, no runtime
 * switch in better-sqlite3) lacks: a double-quoted name that resolves to no column is a
 * string. The engine calls it only after SQLite said that name is no column, so names that
 * are columns, tables or aliases stay identifiers, exactly as SQLite decides. A qualified
 * `t."x"` is never a string.
 */
export function doubleQuotedAsLiteral(sql: string, value: string): string | undefined {
  const tokens = tokenize(sql);
  let out = '';
  let from = 0;
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'ident' || !t.text.startsWith('"') || t.value !== value) continue;
    if (tokens[i - 1]?.text === '.' || tokens[i + 1]?.text === '.') continue;
    out += sql.slice(from, t.start) + `'${t.value.replace(/'/g, "''")}'`;
    from = t.end;
    changed = true;
  }
  return changed ? out + sql.slice(from) : undefined;
}
