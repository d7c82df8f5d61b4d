// A small C-like expression language for breakpoint conditions and watch/hover expressions:
// numbers (decimal, 0x hex), names, $ID (a raw trace ID), `->` and `.` fields, [index],
// calls of known macros, ! - * / % + - < <= > >= == != && ||, parentheses.

/** A value an expression yields: a number, text, a truth value, a list or a record. */
export type Value = number | string | boolean | null | readonly Value[] | { readonly [field: string]: Value };

/** What names and macro calls mean where an expression is evaluated. */
export interface EvalScope {
  /** The value of `name`, or undefined when the name is unknown. */
  lookup(name: string): Value | undefined;
  /** The result of calling macro/function `name`, or undefined when it is unknown. */
  call(name: string, args: readonly Value[]): Value | undefined;
}

/** A syntax error or an evaluation failure, with a message for the user. */
export class ExpressionError extends Error {}

type Node =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'name'; readonly name: string }
  | { readonly k: 'unary'; readonly op: string; readonly a: Node }
  | { readonly k: 'binary'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly k: 'field'; readonly a: Node; readonly field: string }
  | { readonly k: 'index'; readonly a: Node; readonly i: Node }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Node[] };

/** A parsed expression, ready to evaluate any number of times. */
export class Expression {
  private constructor(
    readonly text: string,
    private readonly root: Node,
  ) {}

  /** Parses `text`; throws ExpressionError naming the column of a syntax error. */
  static parse(text: string): Expression {
    return new Expression(text, new Parser(text).parseAll());
  }

  /** Evaluates in `scope`; throws ExpressionError for an unknown name or a bad operand. */
  evaluate(scope: EvalScope): Value {
    return evaluateNode(this.root, scope);
  }
}

const TOKEN = /\s*(0[xX][0-9a-fA-F]+|\d+|\$\d+|[A-Za-z_][A-Za-z0-9_]*|->|<=|>=|==|!=|&&|\|\||[-+*/%<>!()[\].,])/y;

class Parser {
  private readonly tokens: { t: string; col: number }[] = [];
  private pos = 0;

  constructor(private readonly text: string) {
    TOKEN.lastIndex = 0;
    let at = 0;
    while (at < text.length) {
      if (/^\s*$/.test(text.slice(at))) break;
      TOKEN.lastIndex = at;
      const m = TOKEN.exec(text);
      if (m === null) {
        const col = at + (text.slice(at).length - text.slice(at).trimStart().length) + 1;
        throw new ExpressionError(`column ${col}: unexpected '${text.slice(col - 1, col)}' in '${text}'`);
      }
      this.tokens.push({ t: m[1], col: m.index + m[0].length - m[1].length + 1 });
      at = TOKEN.lastIndex;
    }
  }

  parseAll(): Node {
    if (this.tokens.length === 0) throw new ExpressionError('empty expression');
    const n = this.binary(0);
    if (this.pos < this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos].t}'`);
    return n;
  }

  private fail(message: string): never {
    const col = this.pos < this.tokens.length ? this.tokens[this.pos].col : this.text.length + 1;
    throw new ExpressionError(`column ${col}: ${message} in '${this.text}'`);
  }

  private peek(): string | undefined {
    return this.tokens[this.pos]?.t;
  }

  private expect(t: string): void {
    if (this.peek() !== t) this.fail(this.peek() === undefined ? `missing '${t}'` : `expected '${t}', got '${this.peek()}'`);
    this.pos++;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<', '<=', '>', '>='],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Node {
    if (level === Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    while (Parser.LEVELS[level].includes(this.peek() ?? '')) {
      const op = this.tokens[this.pos++].t;
      a = { k: 'binary', op, a, b: this.binary(level + 1) };
    }
    return a;
  }

  private unary(): Node {
    const t = this.peek();
    if (t === '!' || t === '-') {
      this.pos++;
      return { k: 'unary', op: t, a: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private primary(): Node {
    const t = this.peek();
    if (t === undefined) this.fail('missing operand');
    this.pos++;
    if (/^0[xX]/.test(t)) return { k: 'num', v: parseInt(t.slice(2), 16) };
    if (/^\d/.test(t)) return { k: 'num', v: Number(t) };
    if (t.startsWith('$')) return { k: 'name', name: t };
    if (/^[A-Za-z_]/.test(t)) {
      if (this.peek() === '(') {
        this.pos++;
        const args: Node[] = [];
        if (this.peek() !== ')') {
          for (;;) {
            args.push(this.binary(0));
            if (this.peek() !== ',') break;
            this.pos++;
          }
        }
        this.expect(')');
        return { k: 'call', name: t, args };
      }
      return { k: 'name', name: t };
    }
    if (t === '(') {
      const n = this.binary(0);
      this.expect(')');
      return n;
    }
    this.pos--;
    return this.fail(`unexpected '${t}'`);
  }

  private postfix(n: Node): Node {
    for (;;) {
      const t = this.peek();
      if (t === '->' || t === '.') {
        this.pos++;
        const f = this.peek();
        if (f === undefined || !/^[A-Za-z_]/.test(f)) this.fail('expected a field name');
        this.pos++;
        n = { k: 'field', a: n, field: f };
      } else if (t === '[') {
        this.pos++;
        const i = this.binary(0);
        this.expect(']');
        n = { k: 'index', a: n, i };
      } else {
        return n;
      }
    }
  }
}

function num(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  throw new ExpressionError(`${what} is not a number`);
}

function truthy(v: Value): boolean {
  return typeof v === 'string' ? v.length > 0 : v !== null && v !== false && v !== 0;
}

function evaluateNode(n: Node, scope: EvalScope): Value {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'name': {
      const v = scope.lookup(n.name);
      if (v === undefined) throw new ExpressionError(`unknown name '${n.name}'`);
      return v;
    }
    case 'unary': {
      const a = evaluateNode(n.a, scope);
      return n.op === '!' ? !truthy(a) : -num(a, 'the operand of -');
    }
    case 'binary': {
      if (n.op === '&&') return truthy(evaluateNode(n.a, scope)) && truthy(evaluateNode(n.b, scope));
      if (n.op === '||') return truthy(evaluateNode(n.a, scope)) || truthy(evaluateNode(n.b, scope));
      const a = evaluateNode(n.a, scope);
      const b = evaluateNode(n.b, scope);
      if (n.op === '==' || n.op === '!=') {
        const same = typeof a === 'string' || typeof b === 'string' ? String(a) === String(b) : num(a, 'the left side') === num(b, 'the right side');
        return n.op === '==' ? same : !same;
      }
      const x = num(a, `the left side of ${n.op}`);
      const y = num(b, `the right side of ${n.op}`);
      switch (n.op) {
        case '<': return x < y;
        case '<=': return x <= y;
        case '>': return x > y;
        case '>=': return x >= y;
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/':
          if (y === 0) throw new ExpressionError('division by zero');
          return Math.trunc(x / y);
        case '%':
          if (y === 0) throw new ExpressionError('division by zero');
          return x % y;
      }
      throw new ExpressionError(`unknown operator ${n.op}`);
    }
    case 'field': {
      const a = evaluateNode(n.a, scope);
      if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ExpressionError(`'${n.field}': not a struct`);
      const v = (a as { readonly [f: string]: Value })[n.field];
      if (v === undefined) throw new ExpressionError(`no field '${n.field}' (fields: ${Object.keys(a).join(', ')})`);
      return v;
    }
    case 'index': {
      const a = evaluateNode(n.a, scope);
      const i = num(evaluateNode(n.i, scope), 'the index');
      if (!Array.isArray(a)) throw new ExpressionError('indexing something that is not an array');
      const list = a as readonly Value[];
      if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new ExpressionError(`index ${i} out of range 0..${list.length - 1}`);
      return list[i];
    }
    case 'call': {
      const args = n.args.map((x) => evaluateNode(x, scope));
      const v = scope.call(n.name, args);
      if (v === undefined) throw new ExpressionError(`unknown macro or function '${n.name}'`);
      return v;
    }
  }
}

/** True when `v` counts as true in a condition (non-zero, non-empty). */
export function isTrue(v: Value): boolean {
  return truthy(v);
}
