/**
 * The small part of JQL the local Jira understands. Anything else is refused with a 400, the way
 * Jira refuses a query it cannot parse, so a client never silently gets a wrong answer.
 *
 * Supported (clauses joined with AND; keywords and field names case-insensitive):
 *   project = KEY | project in (KEY, ...)            key = DEMO-1 | key in (DEMO-1, ...) (also `issue`, `issuekey`)
 *   sprint in openSprints() | closedSprints() | futureSprints()
 *   sprint = <id> | sprint in (<id>, ...) | sprint is EMPTY | sprint is not EMPTY
 *   status = "In Progress" | status in (...) | status != X    statusCategory = Done | != Done
 *   assignee = <accountId> | currentUser() | assignee is EMPTY
 *   issuetype = Story | issuetype in (...)            parent = DEMO-1
 *   updated >= -7d | created >= "2026-11-01" (also >, <, <=; relative units m, h, d, w)
 *   ORDER BY Rank | key | created | updated  [ASC | DESC]
 * The rank field may also be named by its id or `cf[<n>]`.
 */

export type Comparison = '=' | '!=' | '>=' | '>' | '<=' | '<';

export type Clause =
  | { kind: 'in'; field: string; values: string[]; negated: boolean }
  | { kind: 'function'; field: string; fn: string; negated: boolean }
  | { kind: 'empty'; field: string; negated: boolean }
  | { kind: 'compare'; field: string; op: Comparison; value: string };

export interface JqlQuery {
  clauses: Clause[];
  orderBy: { field: string; direction: 'ASC' | 'DESC' } | null;
}

export class JqlError extends Error {}

type Token = { type: 'word' | 'string' | 'op' | 'punct'; text: string };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const end = jql.indexOf(c, i + 1);
      if (end < 0) throw new JqlError(`Error in the JQL Query: the quoted string starting at character ${i + 1} is not closed.`);
      tokens.push({ type: 'string', text: jql.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c });
      i++;
    } else if ('=!<>~'.includes(c)) {
      const two = jql.slice(i, i + 2);
      const op = ['!=', '>=', '<=', '!~'].includes(two) ? two : c;
      tokens.push({ type: 'op', text: op });
      i += op.length;
    } else {
      const match = /^[^\s()",'=!<>~]+/.exec(jql.slice(i));
      if (!match) throw new JqlError(`Error in the JQL Query: unexpected character '${c}' at position ${i + 1}.`);
      tokens.push({ type: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(what: string): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new JqlError(`Error in the JQL Query: expected ${what} but the query ended.`);
    return token;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.type === 'word' && t.text.toLowerCase() === text;
  }
  private expectPunct(text: string): void {
    const t = this.next(`'${text}'`);
    if (t.type !== 'punct' || t.text !== text) throw new JqlError(`Error in the JQL Query: expected '${text}' but got '${t.text}'.`);
  }
  private value(): string {
    const t = this.next('a value');
    if (t.type !== 'word' && t.type !== 'string') throw new JqlError(`Error in the JQL Query: expected a value but got '${t.text}'.`);
    return t.text;
  }

  parse(): JqlQuery {
    const clauses: Clause[] = [];
    let orderBy: JqlQuery['orderBy'] = null;
    if (this.peek() && !this.isWord('order')) {
      clauses.push(this.clause());
      while (this.isWord('and')) {
        this.pos++;
        clauses.push(this.clause());
      }
      if (this.isWord('or')) throw new JqlError("Error in the JQL Query: 'OR' is not supported by the local Jira; use AND or 'in (...)'.");
    }
    if (this.isWord('order')) {
      this.pos++;
      if (!this.isWord('by')) throw new JqlError("Error in the JQL Query: expected 'BY' after 'ORDER'.");
      this.pos++;
      const field = this.value();
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.isWord('asc') || this.isWord('desc')) direction = this.next('a direction').text.toUpperCase() as 'ASC' | 'DESC';
      orderBy = { field: field.toLowerCase(), direction };
    }
    const rest = this.peek();
    if (rest) throw new JqlError(`Error in the JQL Query: unexpected '${rest.text}'.`);
    return { clauses, orderBy };
  }

  private clause(): Clause {
    const field = this.value().toLowerCase();
    if (this.isWord('is')) {
      this.pos++;
      let negated = false;
      if (this.isWord('not')) {
        this.pos++;
        negated = true;
      }
      const what = this.value().toLowerCase();
      if (what !== 'empty' && what !== 'null') throw new JqlError(`Error in the JQL Query: expected EMPTY after IS but got '${what}'.`);
      return { kind: 'empty', field, negated };
    }
    let negated = false;
    if (this.isWord('not')) {
      this.pos++;
      negated = true;
      if (!this.isWord('in')) throw new JqlError("Error in the JQL Query: expected 'IN' after 'NOT'.");
    }
    if (this.isWord('in')) {
      this.pos++;
      const t = this.peek();
      if (t?.type === 'word' && this.tokens[this.pos + 1]?.text === '(' && this.tokens[this.pos + 2]?.text === ')') {
        this.pos += 3;
        return { kind: 'function', field, fn: t.text.toLowerCase(), negated };
      }
      this.expectPunct('(');
      const values = [this.value()];
      while (this.peek()?.text === ',') {
        this.pos++;
        values.push(this.value());
      }
      this.expectPunct(')');
      return { kind: 'in', field, values, negated };
    }
    const op = this.next('an operator');
    if (op.type !== 'op' || !['=', '!=', '>=', '>', '<=', '<'].includes(op.text)) {
      throw new JqlError(`Error in the JQL Query: the operator '${op.text}' is not supported by the local Jira.`);
    }
    const valueToken = this.peek();
    if (valueToken?.type === 'word' && this.tokens[this.pos + 1]?.text === '(' && this.tokens[this.pos + 2]?.text === ')') {
      this.pos += 3;
      if (op.text !== '=' && op.text !== '!=') throw new JqlError(`Error in the JQL Query: ${valueToken.text}() can only be compared with = or !=.`);
      return { kind: 'function', field, fn: valueToken.text.toLowerCase(), negated: op.text === '!=' };
    }
    const value = this.value();
    if (op.text === '=' || op.text === '!=') return { kind: 'in', field, values: [value], negated: op.text === '!=' };
    return { kind: 'compare', field, op: op.text as Comparison, value };
  }
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}

/** A relative JQL date (-7d, -12h, -30m, -2w) or an absolute one ("2026-11-01" or "2026-11-01 10:00") as a time. */
export function jqlDateToTime(value: string, now: Date): number {
  const relative = /^([-+]?)(\d+)([mhdw])$/i.exec(value.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[(relative[3] as string).toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    const sign = relative[1] === '-' ? -1 : 1;
    return now.getTime() + sign * Number(relative[2]) * unit;
  }
  const absolute = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
  }
  throw new JqlError(`Date value '${value}' for a date field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
}
