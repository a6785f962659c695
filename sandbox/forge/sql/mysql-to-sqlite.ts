/**
 * The one place where the embedded engine turns the MySQL the app writes (Forge SQL is TiDB,
 * MySQL-compatible) into SQLite that sql.js can run. It works on tokens, so string literals and
 * quoted names are never rewritten by accident.
 *
 * What it translates:
 * - quoting: `name` -> "name"; MySQL "text" and 'te\'xt' string literals -> SQLite 'text' literals
 *   (backslash escapes decoded);
 * - CREATE TABLE: a column with AUTO_INCREMENT -> `INTEGER PRIMARY KEY AUTOINCREMENT` (and its separate
 *   `PRIMARY KEY (col)` dropped); `ENUM(...)` -> TEXT; column COMMENT / CHARACTER SET / COLLATE dropped;
 *   `UNIQUE KEY name (cols)` -> `CONSTRAINT name UNIQUE (cols)`; `KEY|INDEX name (cols)` -> a separate
 *   `CREATE INDEX name ON table (cols)`; table options (ENGINE=, DEFAULT CHARSET=, COLLATE=, COMMENT=,
 *   AUTO_INCREMENT=, ROW_FORMAT=) dropped; index prefix lengths `col(100)` dropped;
 * - CREATE INDEX ... USING BTREE|HASH: the USING part dropped; `DROP INDEX name ON table` -> `DROP INDEX name`;
 * - ALTER TABLE t ADD [COLUMN] def | ADD [UNIQUE] INDEX|KEY [IF NOT EXISTS] name (cols) | DROP [COLUMN] c |
 *   DROP INDEX [IF EXISTS] name | RENAME COLUMN a TO b, one statement per comma-separated change;
 * - INSERT IGNORE -> INSERT OR IGNORE; `ON DUPLICATE KEY UPDATE c = VALUES(c)` -> `ON CONFLICT DO UPDATE SET
 *   c = excluded.c` (affected-row counts then follow SQLite: 1 per row, where MySQL says 2 for an update);
 * - NOW(), CURRENT_TIMESTAMP(), UTC_TIMESTAMP(), SYSDATE() -> CURRENT_TIMESTAMP (UTC, 'YYYY-MM-DD HH:MM:SS',
 *   the format the MariaDB engine is set to return as well); CURDATE() -> CURRENT_DATE;
 *   LAST_INSERT_ID() -> last_insert_rowid(); IF(a, b, c) -> IIF(a, b, c);
 *   GROUP_CONCAT(x SEPARATOR s) -> GROUP_CONCAT(x, s); START TRANSACTION -> BEGIN; a DIV b -> a / b (integer
 *   division: SQLite's / truncates on integers, as DIV does; the app divides only whole numbers);
 * - a trailing FOR UPDATE / LOCK IN SHARE MODE dropped (sql.js runs one statement at a time anyway).
 *
 * What it refuses, loudly (ER_NOT_SUPPORTED_YET), because SQLite would silently mean something else:
 * INTERVAL arithmetic (bind a computed bound instead), ON UPDATE CURRENT_TIMESTAMP, FULLTEXT/SPATIAL
 * indexes, SQL_CALC_FOUND_ROWS / FOUND_ROWS(), ALTER TABLE MODIFY / CHANGE / other changes, and
 * ON DUPLICATE KEY UPDATE after INSERT ... SELECT. Anything else SQLite cannot parse fails as
 * ER_PARSE_ERROR with the translated text in the message.
 */
import { mysqlError } from './engine';

type TokenKind = 'word' | 'string' | 'ident' | 'number' | 'punct' | 'space' | 'param';
interface Token {
  kind: TokenKind;
  /** For `string` the decoded text, for `ident` the bare name, otherwise the source text. */
  text: string;
}

function unsupported(what: string): never {
  throw mysqlError('ER_NOT_SUPPORTED_YET', `The embedded SQL engine (sql.js) does not support ${what}. Run against MariaDB (SRG_MARIADB_URL) or write it differently.`);
}

const BACKSLASH_ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', "'": "'", '"': '"', '%': '\\%', _: '\\_' };

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      let j = i;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      tokens.push({ kind: 'space', text: ' ' });
      i = j;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw mysqlError('ER_PARSE_ERROR', `Unterminated string literal starting at position ${i}`);
        const d = sql[j]!;
        if (d === '\\') {
          const next = sql[j + 1] ?? '';
          text += BACKSLASH_ESCAPES[next] ?? next;
          j += 2;
        } else if (d === c && sql[j + 1] === c) {
          text += c;
          j += 2;
        } else if (d === c) {
          j++;
          break;
        } else {
          text += d;
          j++;
        }
      }
      tokens.push({ kind: 'string', text });
      i = j;
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0) throw mysqlError('ER_PARSE_ERROR', `Unterminated quoted name starting at position ${i}`);
      tokens.push({ kind: 'ident', text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z0-9_$]+/.exec(sql.slice(i))!;
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else if (c === '?') {
      tokens.push({ kind: 'param', text: '?' });
      i++;
    } else {
      const two = sql.slice(i, i + 2);
      if (['<=', '>=', '<>', '!=', '||', '&&', ':='].includes(two)) {
        tokens.push({ kind: 'punct', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'punct', text: c });
        i++;
      }
    }
  }
  return tokens;
}

function render(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      if (t.kind === 'string') return `'${t.text.replace(/'/g, "''")}'`;
      if (t.kind === 'ident') return `"${t.text.replace(/"/g, '""')}"`;
      return t.text;
    })
    .join('')
    .trim();
}

const isWord = (t: Token | undefined, ...words: string[]): boolean =>
  t !== undefined && t.kind === 'word' && words.includes(t.text.toUpperCase());
const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'punct' && t.text === text;

/** Tokens without whitespace, for pattern matching; rendering puts single spaces back. */
function solid(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space');
}

function spaced(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  tokens.forEach((t, index) => {
    if (index > 0) out.push({ kind: 'space', text: ' ' });
    out.push(t);
  });
  return out;
}

/** Index of the parenthesis closing the one at `open`. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw mysqlError('ER_PARSE_ERROR', 'Unbalanced parentheses');
}

/** Splits at commas that are not inside parentheses. */
function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** `(a(100), b DESC)` -> `(a, b DESC)`: SQLite indexes have no prefix lengths. */
function indexColumns(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(') && i > 0 && tokens[i - 1]!.kind !== 'punct' && tokens[i + 1]?.kind === 'number' && isPunct(tokens[i + 2], ')')) {
      i += 2;
      continue;
    }
    out.push(t);
  }
  return out;
}

const TABLE_OPTION_WORDS = ['ENGINE', 'DEFAULT', 'CHARSET', 'CHARACTER', 'COLLATE', 'COMMENT', 'AUTO_INCREMENT', 'ROW_FORMAT', 'SET'];

function translateColumn(def: Token[]): { tokens: Token[]; autoIncrement: boolean } {
  const name = def[0]!;
  if (def.some((t) => isWord(t, 'AUTO_INCREMENT'))) {
    return { tokens: [name, ...solid(tokenize('INTEGER PRIMARY KEY AUTOINCREMENT'))], autoIncrement: true };
  }
  const out: Token[] = [];
  for (let i = 0; i < def.length; i++) {
    const t = def[i]!;
    if (isWord(t, 'ON') && isWord(def[i + 1], 'UPDATE')) unsupported('ON UPDATE CURRENT_TIMESTAMP (set the column in the UPDATE instead)');
    if (i === 1 && isWord(t, 'ENUM', 'SET') && isPunct(def[i + 1], '(')) {
      out.push({ kind: 'word', text: 'TEXT' });
      i = closingParen(def, i + 1);
      continue;
    }
    if (isWord(t, 'COMMENT')) {
      i += 1;
      continue;
    }
    if (isWord(t, 'CHARACTER') && isWord(def[i + 1], 'SET')) {
      i += 2;
      continue;
    }
    if (isWord(t, 'CHARSET', 'COLLATE')) {
      i += 1;
      continue;
    }
    out.push(t);
  }
  return { tokens: translateExpressionTokens(out), autoIncrement: false };
}

function translateCreateTable(tokens: Token[]): string[] {
  const open = tokens.findIndex((t) => isPunct(t, '('));
  if (open < 0) unsupported('CREATE TABLE without a column list (CREATE TABLE ... AS SELECT / LIKE)');
  const head = tokens.slice(0, open);
  const tableName = head[head.length - 1]!;
  const close = closingParen(tokens, open);
  const tail = tokens.slice(close + 1).filter((t) => !isPunct(t, ';'));
  // Table options (ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ...) mean nothing to SQLite; anything else
  // after the column list (PARTITION BY, ...) is refused rather than ignored.
  tail.forEach((t, i) => {
    if (t.kind !== 'word') return;
    const previous = tail[i - 1];
    if (isPunct(previous, '=') || isWord(previous, 'CHARSET', 'COLLATE', 'ENGINE', 'SET', 'COMMENT', 'ROW_FORMAT', 'AUTO_INCREMENT')) return;
    if (!TABLE_OPTION_WORDS.includes(t.text.toUpperCase())) unsupported(`the table option ${t.text}`);
  });
  const items = splitTopLevel(tokens.slice(open + 1, close));
  const kept: Token[][] = [];
  const indexes: string[] = [];
  // MySQL skips the whole statement, inline keys included, when the table exists: so must the index
  // statements SQLite needs apart, or re-running the migration after a half-done first run fails.
  const ifNotExists = head.some((t, i) => isWord(t, 'IF') && isWord(head[i + 1], 'NOT') && isWord(head[i + 2], 'EXISTS'));
  const createIndex = ifNotExists ? 'CREATE INDEX IF NOT EXISTS' : 'CREATE INDEX';
  let autoIncrementColumn: string | undefined;
  for (const item of items) {
    const first = item[0]!;
    if (isWord(first, 'FULLTEXT', 'SPATIAL')) unsupported(`${first.text.toUpperCase()} indexes`);
    if (isWord(first, 'KEY', 'INDEX')) {
      const paren = item.findIndex((t) => isPunct(t, '('));
      const name = paren > 1 ? item[1]! : { kind: 'ident' as const, text: `${tableName.text}_idx_${indexes.length + 1}` };
      indexes.push(render(spaced([...solid(tokenize(createIndex)), name, { kind: 'word', text: 'ON' }, tableName, ...indexColumns(item.slice(paren))])));
      continue;
    }
    let rest = item;
    let constraintName: Token | undefined;
    if (isWord(first, 'CONSTRAINT') && item.length > 2) {
      constraintName = item[1];
      rest = item.slice(2);
    }
    if (isWord(rest[0], 'UNIQUE')) {
      const paren = rest.findIndex((t) => isPunct(t, '('));
      const named = rest.slice(1, paren).filter((t) => !isWord(t, 'KEY', 'INDEX'));
      const name = named[0] ?? constraintName;
      kept.push([...(name ? [{ kind: 'word' as const, text: 'CONSTRAINT' }, name] : []), { kind: 'word', text: 'UNIQUE' }, ...indexColumns(rest.slice(paren))]);
      continue;
    }
    if (isWord(rest[0], 'PRIMARY') && isWord(rest[1], 'KEY')) {
      const cols = rest.slice(2).filter((t) => t.kind === 'word' || t.kind === 'ident');
      if (autoIncrementColumn !== undefined && cols.length === 1 && cols[0]!.text === autoIncrementColumn) continue;
      kept.push([...(constraintName ? [{ kind: 'word' as const, text: 'CONSTRAINT' }, constraintName] : []), ...indexColumns(rest.filter((t) => !isWord(t, 'USING', 'BTREE', 'HASH')))]);
      continue;
    }
    if (isWord(rest[0], 'FOREIGN', 'CHECK')) {
      kept.push(item);
      continue;
    }
    const column = translateColumn(item);
    if (column.autoIncrement) autoIncrementColumn = first.text;
    kept.push(column.tokens);
  }
  // A separate PRIMARY KEY (id) may come before or after the AUTO_INCREMENT column: drop it either way.
  const finalItems = kept.filter((item) => {
    if (autoIncrementColumn === undefined || !(isWord(item[0], 'PRIMARY') && isWord(item[1], 'KEY'))) return true;
    const cols = item.slice(2).filter((t) => t.kind === 'word' || t.kind === 'ident');
    return !(cols.length === 1 && cols[0]!.text === autoIncrementColumn);
  });
  const body = finalItems.map((item) => render(spaced(item))).join(', ');
  return [`${render(spaced(head))} (${body})`, ...indexes];
}

function translateAlterTable(tokens: Token[]): string[] {
  // ALTER TABLE name change[, change...]
  const tableName = tokens[2];
  if (!tableName) throw mysqlError('ER_PARSE_ERROR', 'ALTER TABLE without a table name');
  const prefix = render(spaced(tokens.slice(0, 3)));
  return splitTopLevel(tokens.slice(3)).map((change) => {
    const [a, b, c] = change;
    // IF NOT EXISTS / IF EXISTS on an index (TiDB and MariaDB take them; MySQL does not).
    const guarded = isWord(c, 'IF');
    const guardLength = guarded ? (isWord(change[3], 'NOT') ? 3 : 2) : 0;
    if (isWord(a, 'ADD') && isWord(b, 'INDEX', 'KEY')) {
      const name = change[2 + guardLength]!;
      return render(spaced([...solid(tokenize(guarded ? 'CREATE INDEX IF NOT EXISTS' : 'CREATE INDEX')), name, { kind: 'word', text: 'ON' }, tableName, ...indexColumns(change.slice(3 + guardLength))]));
    }
    if (isWord(a, 'ADD') && isWord(b, 'UNIQUE')) {
      const rest = change.slice(2).filter((t) => !isWord(t, 'INDEX', 'KEY'));
      return render(spaced([...solid(tokenize('CREATE UNIQUE INDEX')), rest[0]!, { kind: 'word', text: 'ON' }, tableName, ...indexColumns(rest.slice(1))]));
    }
    if (isWord(a, 'ADD') && isWord(b, 'FULLTEXT', 'SPATIAL', 'PRIMARY', 'CONSTRAINT', 'FOREIGN')) unsupported(`ALTER TABLE ADD ${b!.text.toUpperCase()}`);
    if (isWord(a, 'ADD')) {
      const def = isWord(b, 'COLUMN') ? change.slice(2) : change.slice(1);
      const column = translateColumn(def);
      if (column.autoIncrement) unsupported('adding an AUTO_INCREMENT column to an existing table');
      return `${prefix} ADD COLUMN ${render(spaced(column.tokens))}`;
    }
    if (isWord(a, 'DROP') && isWord(b, 'INDEX', 'KEY')) return `DROP INDEX ${guarded ? 'IF EXISTS ' : ''}${render([change[2 + guardLength]!])}`;
    if (isWord(a, 'DROP')) return `${prefix} ${render(spaced(change))}`;
    if (isWord(a, 'RENAME') && isWord(b, 'COLUMN')) return `${prefix} ${render(spaced(change))}`;
    return unsupported(`ALTER TABLE ... ${change.slice(0, 2).map((t) => t.text.toUpperCase()).join(' ')}`);
  });
}

const CLOCK_FUNCTIONS = ['NOW', 'CURRENT_TIMESTAMP', 'UTC_TIMESTAMP', 'SYSDATE', 'LOCALTIMESTAMP', 'LOCALTIME'];

function translateExpressionTokens(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (isWord(t, 'INTERVAL')) unsupported('INTERVAL arithmetic (compute the bound in code and bind it as a parameter)');
    if (isWord(t, 'SQL_CALC_FOUND_ROWS', 'FOUND_ROWS')) unsupported(t.text.toUpperCase());
    if (isWord(t, ...CLOCK_FUNCTIONS) && isPunct(next, '(') && isPunct(tokens[i + 2], ')')) {
      out.push({ kind: 'word', text: 'CURRENT_TIMESTAMP' });
      i += 2;
      continue;
    }
    if (isWord(t, 'CURDATE', 'UTC_DATE') && isPunct(next, '(') && isPunct(tokens[i + 2], ')')) {
      out.push({ kind: 'word', text: 'CURRENT_DATE' });
      i += 2;
      continue;
    }
    if (isWord(t, 'LAST_INSERT_ID') && isPunct(next, '(') && isPunct(tokens[i + 2], ')')) {
      out.push(...solid(tokenize('last_insert_rowid()')));
      i += 2;
      continue;
    }
    if (isWord(t, 'IF') && isPunct(next, '(')) {
      out.push({ kind: 'word', text: 'IIF' });
      continue;
    }
    // Integer division: both sides are whole numbers wherever the app uses it, and SQLite's / on
    // integers truncates as DIV does.
    if (isWord(t, 'DIV')) {
      out.push({ kind: 'punct', text: '/' });
      continue;
    }
    if (isWord(t, 'SEPARATOR')) {
      out.push({ kind: 'punct', text: ',' });
      continue;
    }
    out.push(t);
  }
  // Trailing locking clauses.
  const upper = out.map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
  const tailIs = (...words: string[]) => words.every((w, k) => upper[upper.length - words.length + k] === w);
  if (tailIs('FOR', 'UPDATE')) out.splice(out.length - 2, 2);
  else if (tailIs('LOCK', 'IN', 'SHARE', 'MODE')) out.splice(out.length - 4, 4);
  return out;
}

function translateInsert(tokens: Token[]): Token[] {
  let out = [...tokens];
  if (isWord(out[1], 'IGNORE')) out.splice(1, 1, { kind: 'word', text: 'OR' }, { kind: 'word', text: 'IGNORE' });
  const on = out.findIndex((t, i) => isWord(t, 'ON') && isWord(out[i + 1], 'DUPLICATE') && isWord(out[i + 2], 'KEY') && isWord(out[i + 3], 'UPDATE'));
  if (on >= 0) {
    if (out.slice(0, on).some((t) => isWord(t, 'SELECT'))) unsupported('ON DUPLICATE KEY UPDATE after INSERT ... SELECT');
    const assignments: Token[] = [];
    const rest = out.slice(on + 4);
    for (let i = 0; i < rest.length; i++) {
      const t = rest[i]!;
      if (isWord(t, 'VALUES') && isPunct(rest[i + 1], '(') && isPunct(rest[i + 3], ')')) {
        assignments.push({ kind: 'word', text: 'excluded' }, { kind: 'punct', text: '.' }, rest[i + 2]!);
        i += 3;
        continue;
      }
      assignments.push(t);
    }
    out = [...out.slice(0, on), ...solid(tokenize('ON CONFLICT DO UPDATE SET')), ...assignments];
  }
  return out;
}

/** Translates one MySQL statement into one or more SQLite statements. */
export function translateMySqlToSqlite(sql: string): string[] {
  const tokens = solid(tokenize(sql));
  while (tokens.length > 0 && isPunct(tokens[tokens.length - 1], ';')) tokens.pop();
  if (tokens.some((t) => isPunct(t, ';'))) unsupported('several statements in one request');
  const [a, b, c] = tokens;
  if (isWord(a, 'CREATE') && (isWord(b, 'TABLE') || (isWord(b, 'TEMPORARY') && isWord(c, 'TABLE')))) return translateCreateTable(tokens);
  if (isWord(a, 'CREATE') && (isWord(b, 'INDEX') || (isWord(b, 'UNIQUE') && isWord(c, 'INDEX')))) {
    if (isWord(b, 'FULLTEXT', 'SPATIAL')) unsupported(`${b!.text} indexes`);
    return [render(spaced(indexColumns(tokens.filter((t, i) => !(isWord(t, 'USING') || (isWord(t, 'BTREE', 'HASH') && isWord(tokens[i - 1], 'USING')))))))];
  }
  if (isWord(a, 'CREATE') && isWord(b, 'FULLTEXT', 'SPATIAL')) unsupported(`${b!.text.toUpperCase()} indexes`);
  if (isWord(a, 'DROP') && isWord(b, 'INDEX')) {
    const onAt = tokens.findIndex((t) => isWord(t, 'ON'));
    return [render(spaced(onAt > 0 ? tokens.slice(0, onAt) : tokens))];
  }
  if (isWord(a, 'ALTER') && isWord(b, 'TABLE')) return translateAlterTable(tokens);
  if (isWord(a, 'START') && isWord(b, 'TRANSACTION')) return ['BEGIN'];
  let body = translateExpressionTokens(tokens);
  if (isWord(a, 'INSERT', 'REPLACE')) body = translateInsert(body);
  return [render(spaced(body))];
}
