// We write our own parser rather than take one from npm. The SCIM filter parsers there lose the
// element binding of `emails[type eq "work"].value eq "x"` (they check the bracket and the
// sub-attribute against different elements), cannot read `$ref` as an attribute name, and
// have no length or nesting limits, so a hostile `?filter=` could exhaust the stack.
import { type AttrPath, type CompareOp, type CompValue, type Filter, COMPARE_OPS, pathOf } from './ast.js';
import { type Token, invalidFilterAt, tokenize } from './lexer.js';

/** Bounds on untrusted filter text: characters, and nesting of (), not () and []. */
export interface FilterLimits {
  readonly maxLength: number;
  readonly maxDepth: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = { maxLength: 4096, maxDepth: 32 };

/** RFC 7644 §3.4.2.2: parses a filter; every failure is an invalidFilter naming the offset. */
export function parseFilter(text: string, limits: Partial<FilterLimits> = {}): Filter {
  const { maxLength, maxDepth } = { ...DEFAULT_FILTER_LIMITS, ...limits };
  // Length first, so the lexer never walks a 100 KB string.
  if (text.length > maxLength) {
    throw invalidFilterAt(text, maxLength, `filter is ${text.length} characters long, over the limit of ${maxLength}`);
  }
  if (text.trim() === '') throw invalidFilterAt(text, 0, 'filter is empty');
  return new Parser(text, tokenize(text), maxDepth).parse();
}

// RFC 7644 §3.4.2.2 ATTRNAME, plus "$ref" (RFC 7643 §2.4), which the ABNF leaves out.
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
const OPS: ReadonlySet<string> = new Set(COMPARE_OPS);
const LITERALS: ReadonlyMap<string, CompValue> = new Map([
  ['true', true],
  ['false', false],
  ['null', null],
]);

class Parser {
  private at = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  parse(): Filter {
    const filter = this.parseOr(false);
    const next = this.peek();
    if (next.kind !== 'end') this.fail(next.start, `expected "and", "or" or the end of the filter, found ${describe(next)}`);
    return filter;
  }

  // Precedence is not > and > or (RFC 7644 §3.4.2.2); both loops build left-associative trees.
  private parseOr(inBracket: boolean): Filter {
    let left = this.parseAnd(inBracket);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inBracket) };
    }
    return left;
  }

  private parseAnd(inBracket: boolean): Filter {
    let left = this.parseUnary(inBracket);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inBracket) };
    }
    return left;
  }

  private parseUnary(inBracket: boolean): Filter {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.next();
      // RFC 7644 §3.4.2.2 only has `not (filter)`; `not a pr` is a syntax error.
      if (this.peek().kind !== '(') this.fail(this.peek().start, 'expected "(" after "not"');
      return { kind: 'not', filter: this.parseGroup(inBracket) };
    }
    if (token.kind === '(') return this.parseGroup(inBracket);
    if (token.kind === 'word') return this.parseAttrExp(inBracket);
    return this.fail(token.start, `expected an attribute name, "(" or "not", found ${describe(token)}`);
  }

  private parseGroup(inBracket: boolean): Filter {
    const open = this.next();
    this.enter(open);
    const filter = this.parseOr(inBracket);
    this.expectClose(open, ')');
    this.depth -= 1;
    return filter;
  }

  private parseAttrExp(inBracket: boolean): Filter {
    const pathToken = this.next();
    const path = this.toPath(pathToken, inBracket);
    const open = this.peek();
    if (open.kind !== '[') return this.parseCondition(path, pathToken);
    if (inBracket) this.fail(open.start, 'brackets cannot nest inside a value filter');
    if (path.sub !== undefined) this.fail(open.start, `"[" must follow an attribute, not the sub-attribute "${path.sub}"`);
    this.next();
    this.enter(open);
    const inner = this.parseOr(true);
    const close = this.expectClose(open, ']');
    this.depth -= 1;
    const dot = this.peek();
    if (dot.kind !== '.' || dot.start !== close.end) return { kind: 'valuePath', path, filter: inner };
    // The Entra form `emails[type eq "work"].value eq "x"`: the sub-attribute condition joins
    // the bracket so that both hold for the same element.
    this.next();
    const subToken = this.next();
    if (subToken.kind !== 'word' || subToken.start !== dot.end || !ATTR_NAME.test(subToken.text)) {
      return this.fail(dot.end, 'expected a sub-attribute name right after "]."');
    }
    const condition = this.parseCondition({ attr: subToken.text }, subToken);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: condition } };
  }

  private parseCondition(path: AttrPath, pathToken: Token): Filter {
    const opToken = this.next();
    if (opToken.kind !== 'word') {
      return this.fail(opToken.start, `expected an operator after ${describe(pathToken)}, found ${describe(opToken)}`);
    }
    const op = opToken.text.toLowerCase();
    if (op === 'pr') {
      const after = this.peek();
      if (after.kind === 'string' || after.kind === 'number' || this.literal(after) !== undefined) {
        this.fail(after.start, '"pr" takes no value');
      }
      return { kind: 'present', path };
    }
    if (!OPS.has(op)) return this.fail(opToken.start, `unknown operator ${JSON.stringify(opToken.text)}`);
    const valueToken = this.next();
    const value = this.toValue(valueToken);
    if (value === undefined) {
      return this.fail(valueToken.start, `expected a value after "${op}", found ${describe(valueToken)}`);
    }
    return { kind: 'compare', path, op: op as CompareOp, value: value.value };
  }

  private toValue(token: Token): { value: CompValue } | undefined {
    if (token.kind === 'string' || token.kind === 'number') return { value: token.value };
    return this.literal(token);
  }

  private literal(token: Token): { value: CompValue } | undefined {
    if (token.kind !== 'word') return undefined;
    const key = token.text.toLowerCase();
    return LITERALS.has(key) ? { value: LITERALS.get(key) ?? null } : undefined;
  }

  /** The URN prefix ends at the last ':'; then comes `attr` or `attr.sub` (RFC 7644 §3.10). */
  private toPath(token: Token, inBracket: boolean): AttrPath {
    if (token.kind !== 'word') return this.fail(token.start, `expected an attribute name, found ${describe(token)}`);
    const { text, start } = token;
    const colon = text.lastIndexOf(':');
    const rest = text.slice(colon + 1);
    const dot = rest.indexOf('.');
    const attr = dot < 0 ? rest : rest.slice(0, dot);
    const sub = dot < 0 ? undefined : rest.slice(dot + 1);
    if (colon >= 0 && text[colon - 1] === ':') this.fail(start, `bad schema URN in "${text}"`);
    if (!ATTR_NAME.test(attr)) this.fail(start + colon + 1, `bad attribute name ${JSON.stringify(attr)}`);
    if (sub !== undefined && !ATTR_NAME.test(sub)) {
      this.fail(start + colon + dot + 2, `bad sub-attribute name ${JSON.stringify(sub)}`);
    }
    if (inBracket && (colon >= 0 || sub !== undefined)) {
      this.fail(start, `inside "[...]" name a sub-attribute of the bracketed attribute, not "${text}"`);
    }
    return pathOf(colon >= 0 ? text.slice(0, colon) : undefined, attr, sub);
  }

  private expectClose(open: Token, kind: ')' | ']'): Token {
    const token = this.next();
    if (token.kind === kind) return token;
    if (token.kind === 'end') return this.fail(open.start, `"${open.kind}" is never closed`);
    return this.fail(token.start, `expected "${kind}" or a logical operator, found ${describe(token)}`);
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > this.maxDepth) this.fail(token.start, `filter nests deeper than ${this.maxDepth} levels`);
  }

  private isKeyword(token: Token, keyword: 'and' | 'or' | 'not'): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at];
    if (token.kind !== 'end') this.at += 1;
    return token;
  }

  private fail(offset: number, message: string): never {
    throw invalidFilterAt(this.text, offset, message);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'word':
      return JSON.stringify(token.text);
    case 'string':
      return `the string ${JSON.stringify(token.value.length > 20 ? `${token.value.slice(0, 20)}…` : token.value)}`;
    case 'number':
      return `the number ${token.value}`;
    case 'end':
      return 'the end of the filter';
    default:
      return `"${token.kind}"`;
  }
}
