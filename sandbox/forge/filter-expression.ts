/**
 * A small evaluator for the Jira-expression subset that trigger filters and workflow rules use, e.g.
 *   event.changelog.items.some(i => ['status', 'priority'].includes(i.fieldId))
 *   user.getProjectRoles(project).some(r => r.id == 10001)
 *
 * Trigger filters see the variable `event`; workflow validators and conditions see `user`, `issue`,
 * `project` (evaluateJiraExpression). Jira objects are plain objects here, with their documented
 * methods as functions (User.getProjectRoles(project)) and `properties` as entity properties, read with
 * `properties['key']` or `properties.get('key')` (null when there is no such property).
 *
 * It evaluates: number, string ('…' or "…"), true/false/null literals; array literals; the variable
 * `event` (the event payload) and arrow-function parameters; member access (`a.b`, `a['b']`), `.length`;
 * the list methods some, every, filter, map, find, includes, indexOf; the string methods includes,
 * startsWith, endsWith, toLowerCase, toUpperCase, trim; `!` and unary `-`; == != === !== < <= > >=;
 * && || (short-circuit); + - * / %; `a ? b : c`; parentheses.
 *
 * It cannot evaluate anything else: Jira's own objects and functions (issue, user, project, Date,
 * `new`, JQL), object literals, `typeof`, regular expressions, method calls not listed above. Those
 * give `{ outcome: 'unsupported' }` and the host then delivers the event (it cannot prove it irrelevant).
 *
 * A runtime failure (a property read on null, a method on the wrong type) gives `{ outcome: 'error' }`:
 * Forge then applies the trigger's `filter.onError` (IGNORE_AND_LOG by default: not delivered).
 */

export type FilterOutcome =
  | { outcome: 'match' }
  | { outcome: 'no-match' }
  | { outcome: 'error'; message: string }
  | { outcome: 'unsupported'; message: string };

class Unsupported extends Error {}
class EvaluationError extends Error {}

type Node =
  | { type: 'literal'; value: unknown }
  | { type: 'array'; items: Node[] }
  | { type: 'name'; name: string }
  | { type: 'member'; object: Node; property: Node; computed: boolean; optional?: boolean }
  | { type: 'call'; callee: Node; args: Node[] }
  | { type: 'arrow'; params: string[]; body: Node }
  | { type: 'unary'; operator: string; operand: Node }
  | { type: 'binary'; operator: string; left: Node; right: Node }
  | { type: 'conditional'; test: Node; consequent: Node; alternate: Node };

interface Token {
  kind: 'num' | 'str' | 'name' | 'op' | 'end';
  value: string;
}

const OPERATORS = ['===', '!==', '=>', '?.', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', ',', '(', ')', '[', ']'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'num', value: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z0-9_$]+/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', value: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        value += source[j] ?? '';
        j++;
      }
      if (j >= source.length) throw new Unsupported('an unterminated string');
      tokens.push({ kind: 'str', value });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new Unsupported(`the character '${c}'`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '' });
  return tokens;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '===': 3,
  '!==': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const token = this.peek();
    this.position++;
    return token;
  }
  private isOp(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.value === value;
  }
  private expect(value: string): void {
    if (!this.isOp(value)) throw new Unsupported(`'${this.peek().value || 'end'}' where '${value}' was expected`);
    this.position++;
  }

  parseAll(): Node {
    const node = this.expression();
    if (this.peek().kind !== 'end') throw new Unsupported(`'${this.peek().value}' after a complete expression`);
    return node;
  }

  private expression(): Node {
    // Arrow function: `x => body` or `(x, y) => body`.
    if (this.peek().kind === 'name' && this.isOp('=>', 1)) {
      const param = this.next().value;
      this.next();
      return { type: 'arrow', params: [param], body: this.expression() };
    }
    if (this.isOp('(')) {
      let k = 1;
      const params: string[] = [];
      while (this.peek(k).kind === 'name' && (this.isOp(',', k + 1) || this.isOp(')', k + 1))) {
        params.push(this.peek(k).value);
        k += 2;
        if (this.isOp(')', k - 1)) break;
      }
      const closesAt = params.length === 0 ? 1 : k - 1;
      if (this.isOp(')', closesAt) && this.isOp('=>', closesAt + 1)) {
        this.position += closesAt + 2;
        return { type: 'arrow', params, body: this.expression() };
      }
    }
    return this.conditional();
  }

  private conditional(): Node {
    const test = this.binary(1);
    if (!this.isOp('?')) return test;
    this.next();
    const consequent = this.expression();
    this.expect(':');
    return { type: 'conditional', test, consequent, alternate: this.expression() };
  }

  private binary(minimum: number): Node {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const precedence = token.kind === 'op' ? BINARY_PRECEDENCE[token.value] : undefined;
      if (precedence === undefined || precedence < minimum) return left;
      this.next();
      left = { type: 'binary', operator: token.value, left, right: this.binary(precedence + 1) };
    }
  }

  private unary(): Node {
    if (this.isOp('!') || this.isOp('-')) {
      const operator = this.next().value;
      return { type: 'unary', operator, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Node): Node {
    let node = start;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'name') throw new Unsupported(`'${name.value}' after '.'`);
        node = { type: 'member', object: node, property: { type: 'literal', value: name.value }, computed: false };
      } else if (this.isOp('?.')) {
        // Optional chaining: `a?.b`, `a?.['b']`: null when `a` is null.
        this.next();
        if (this.isOp('[')) {
          this.next();
          const property = this.expression();
          this.expect(']');
          node = { type: 'member', object: node, property, computed: true, optional: true };
        } else {
          const name = this.next();
          if (name.kind !== 'name') throw new Unsupported(`'${name.value}' after '?.'`);
          node = { type: 'member', object: node, property: { type: 'literal', value: name.value }, computed: false, optional: true };
        }
      } else if (this.isOp('[')) {
        this.next();
        const property = this.expression();
        this.expect(']');
        node = { type: 'member', object: node, property, computed: true };
      } else if (this.isOp('(')) {
        this.next();
        const args: Node[] = [];
        while (!this.isOp(')')) {
          args.push(this.expression());
          if (!this.isOp(')')) this.expect(',');
        }
        this.next();
        node = { type: 'call', callee: node, args };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const token = this.next();
    if (token.kind === 'num') return { type: 'literal', value: Number(token.value) };
    if (token.kind === 'str') return { type: 'literal', value: token.value };
    if (token.kind === 'name') {
      if (token.value === 'true') return { type: 'literal', value: true };
      if (token.value === 'false') return { type: 'literal', value: false };
      if (token.value === 'null') return { type: 'literal', value: null };
      if (['new', 'typeof', 'function', 'let', 'const', 'return'].includes(token.value)) throw new Unsupported(`'${token.value}'`);
      return { type: 'name', name: token.value };
    }
    if (token.kind === 'op' && token.value === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.kind === 'op' && token.value === '[') {
      const items: Node[] = [];
      while (!this.isOp(']')) {
        items.push(this.expression());
        if (!this.isOp(']')) this.expect(',');
      }
      this.next();
      return { type: 'array', items };
    }
    throw new Unsupported(`'${token.value || 'end of expression'}'`);
  }
}

type Scope = ReadonlyMap<string, unknown>;
type Callable = (...args: unknown[]) => unknown;

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}

function truthy(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new EvaluationError(`expected a boolean, got ${describe(value)}`);
  return value;
}

function asFunction(value: unknown): Callable {
  if (typeof value !== 'function') throw new EvaluationError(`expected an arrow function, got ${describe(value)}`);
  return value as Callable;
}

const LIST_METHODS: Record<string, (list: unknown[], args: unknown[]) => unknown> = {
  some: (list, [fn]) => list.some((x) => truthy(asFunction(fn)(x))),
  every: (list, [fn]) => list.every((x) => truthy(asFunction(fn)(x))),
  filter: (list, [fn]) => list.filter((x) => truthy(asFunction(fn)(x))),
  map: (list, [fn]) => list.map((x) => asFunction(fn)(x)),
  find: (list, [fn]) => list.find((x) => truthy(asFunction(fn)(x))) ?? null,
  includes: (list, [x]) => list.includes(x),
  indexOf: (list, [x]) => list.indexOf(x),
};

const STRING_METHODS: Record<string, (text: string, args: unknown[]) => unknown> = {
  includes: (text, [x]) => text.includes(String(x)),
  startsWith: (text, [x]) => text.startsWith(String(x)),
  endsWith: (text, [x]) => text.endsWith(String(x)),
  toLowerCase: (text) => text.toLowerCase(),
  toUpperCase: (text) => text.toUpperCase(),
  trim: (text) => text.trim(),
};

function evaluate(node: Node, scope: Scope): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'array':
      return node.items.map((item) => evaluate(item, scope));
    case 'name':
      if (!scope.has(node.name)) throw new Unsupported(`the name '${node.name}' (only ${[...scope.keys()].map((k) => `'${k}'`).join(', ')} and arrow parameters are known)`);
      return scope.get(node.name);
    case 'member': {
      const object = evaluate(node.object, scope);
      if ((object === null || object === undefined) && node.optional) return null;
      const property = evaluate(node.property, scope);
      if (object === null || object === undefined) throw new EvaluationError(`cannot read '${String(property)}' of null`);
      if (object instanceof EntityProperties) return object.get(String(property));
      if ((Array.isArray(object) || typeof object === 'string') && property === 'length') return object.length;
      if (Array.isArray(object) && typeof property === 'number') return object[property] ?? null;
      if (typeof object !== 'object' || Array.isArray(object)) throw new EvaluationError(`cannot read '${String(property)}' of ${describe(object)}`);
      // Own properties only: `i.toString` must read the changelog field, never Object.prototype's method.
      const key = String(property);
      return Object.prototype.hasOwnProperty.call(object, key) ? ((object as Record<string, unknown>)[key] ?? null) : null;
    }
    case 'call': {
      if (node.callee.type !== 'member' || node.callee.computed) throw new Unsupported('calling anything but a list or string method');
      const target = evaluate(node.callee.object, scope);
      if ((target === null || target === undefined) && node.callee.optional) return null;
      const method = String((node.callee.property as { value: unknown }).value);
      const args = node.args.map((arg) => evaluate(arg, scope));
      if (target instanceof EntityProperties) {
        if (method === 'get') return target.get(String(args[0]));
        if (method === 'keys') return target.keys();
        throw new Unsupported(`the entity properties method '${method}'`);
      }
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        // A Jira object's documented method, supplied by whoever built the context (User.getProjectRoles).
        const fn = Object.prototype.hasOwnProperty.call(target, method) ? (target as Record<string, unknown>)[method] : undefined;
        if (typeof fn !== 'function') throw new Unsupported(`the method '${method}'`);
        return (fn as Callable)(...args);
      }
      if (Array.isArray(target)) {
        const fn = LIST_METHODS[method];
        if (!fn) throw new Unsupported(`the list method '${method}'`);
        return fn(target, args);
      }
      if (typeof target === 'string') {
        const fn = STRING_METHODS[method];
        if (!fn) throw new Unsupported(`the string method '${method}'`);
        return fn(target, args);
      }
      throw new EvaluationError(`cannot call '${method}' on ${describe(target)}`);
    }
    case 'arrow':
      return (...args: unknown[]) => {
        const inner = new Map(scope);
        node.params.forEach((param, index) => inner.set(param, args[index] ?? null));
        return evaluate(node.body, inner);
      };
    case 'unary': {
      const operand = evaluate(node.operand, scope);
      if (node.operator === '!') return !truthy(operand);
      if (typeof operand !== 'number') throw new EvaluationError(`cannot negate ${describe(operand)}`);
      return -operand;
    }
    case 'binary': {
      if (node.operator === '&&') return truthy(evaluate(node.left, scope)) && truthy(evaluate(node.right, scope));
      if (node.operator === '||') return truthy(evaluate(node.left, scope)) || truthy(evaluate(node.right, scope));
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      switch (node.operator) {
        case '==':
        case '===':
          return (left ?? null) === (right ?? null);
        case '!=':
        case '!==':
          return (left ?? null) !== (right ?? null);
        case '+':
          if (typeof left === 'string' || typeof right === 'string') return String(left) + String(right);
      }
      if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) {
        throw new EvaluationError(`cannot apply '${node.operator}' to ${describe(left)} and ${describe(right)}`);
      }
      const [a, b] = [left as number, right as number];
      switch (node.operator) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
      }
      throw new Unsupported(`the operator '${node.operator}'`);
    }
    case 'conditional':
      return truthy(evaluate(node.test, scope)) ? evaluate(node.consequent, scope) : evaluate(node.alternate, scope);
  }
}

/**
 * An entity's properties (Jira expressions' EntityProperties): `properties['key']`, `properties.get('key')`
 * and `properties.keys()`; a property that is not there reads as null.
 */
export class EntityProperties {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}

  get(key: string): unknown {
    return this.values.has(key) ? structuredClone(this.values.get(key)) : null;
  }

  keys(): string[] {
    return [...this.values.keys()];
  }
}

/** Evaluates a trigger filter expression against an event payload. */
export function evaluateFilterExpression(expression: string, event: unknown): FilterOutcome {
  return evaluateJiraExpression(expression, { event });
}

/**
 * Evaluates a Jira expression that must give a boolean, with the context variables given (a workflow
 * validator's or condition's `user`, `issue`, `project`).
 */
export function evaluateJiraExpression(expression: string, context: Readonly<Record<string, unknown>>): FilterOutcome {
  try {
    const tree = new Parser(tokenize(expression)).parseAll();
    const result = evaluate(tree, new Map(Object.entries(context)));
    if (typeof result !== 'boolean') return { outcome: 'error', message: `the expression gave ${describe(result)}, not a boolean` };
    return { outcome: result ? 'match' : 'no-match' };
  } catch (error) {
    if (error instanceof Unsupported) return { outcome: 'unsupported', message: `cannot evaluate ${error.message}` };
    if (error instanceof EvaluationError) return { outcome: 'error', message: error.message };
    throw error;
  }
}
