import { ScimError } from '../errors.js';
import { isStorableText } from '../storable-text.js';

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * A filter token. A `word` is an attribute path (URN prefix and sub-attribute included, so
 * `urn:…:User:name.familyName` is one word), an operator or a keyword; the parser tells
 * them apart. `.` only starts a token after `]`, as in `emails[type eq "work"].value`.
 */
export type Token =
  | (Span & { readonly kind: 'word'; readonly text: string })
  | (Span & { readonly kind: 'string'; readonly value: string })
  | (Span & { readonly kind: 'number'; readonly value: number })
  | (Span & { readonly kind: '(' | ')' | '[' | ']' | '.' | 'end' });

const EXCERPT = 12;

/** RFC 7644 §3.12 invalidFilter, saying where the filter broke: offset and nearby text. */
export function invalidFilterAt(text: string, offset: number, message: string): ScimError {
  const from = Math.max(0, offset - EXCERPT);
  const to = Math.min(text.length, offset + EXCERPT);
  const excerpt = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  return ScimError.invalidFilter(`${message} at offset ${offset}, near ${JSON.stringify(excerpt)}`);
}

// RFC 7644 §3.4.2.2 asks for SP between tokens; tabs and newlines from a POST /.search body
// are harmless, so they count as spaces too.
const SPACE = /[ \t\r\n]+/y;
const WORD = /[A-Za-z$_][A-Za-z0-9$_:.-]*/y;
// A number runs on through letters so that `1abc` is one bad number rather than `1` then `abc`.
const NUMBER_RUN = /-?[0-9A-Za-z_.+-]*/y;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const PUNCTUATION = new Set(['(', ')', '[', ']', '.']);

function match(pattern: RegExp, text: string, at: number): string {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0] ?? '';
}

/** RFC 7644 §3.4.2.2: splits a filter into tokens, ending with an `end` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = match(SPACE, text, 0).length;
  while (i < text.length) {
    const c = text[i];
    if (PUNCTUATION.has(c)) {
      tokens.push({ kind: c as '(' | ')' | '[' | ']' | '.', start: i, end: i + 1 });
      i += 1;
    } else if (c === '"') {
      const { value, end } = readString(text, i);
      tokens.push({ kind: 'string', value, start: i, end });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const raw = match(NUMBER_RUN, text, i);
      if (!JSON_NUMBER.test(raw)) throw invalidFilterAt(text, i, `invalid number ${JSON.stringify(raw)}`);
      tokens.push({ kind: 'number', value: Number(raw), start: i, end: i + raw.length });
      i += raw.length;
    } else {
      const word = match(WORD, text, i);
      if (word === '') throw invalidFilterAt(text, i, `unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: 'word', text: word, start: i, end: i + word.length });
      i += word.length;
    }
    i += match(SPACE, text, i).length;
  }
  tokens.push({ kind: 'end', start: text.length, end: text.length });
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Reads the JSON string (RFC 8259 §7) that opens at `start`. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // A \u0000 or unpaired-surrogate escape would reach SQL as a bound parameter PostgreSQL
      // refuses (or silently alters); no stored value holds one, so the filter is an error.
      if (!isStorableText(value)) throw invalidFilterAt(text, start, 'a string may not hold U+0000 or an unpaired surrogate');
      return { value, end: i + 1 };
    }
    if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) break;
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw invalidFilterAt(text, i, 'bad \\u escape: it needs four hex digits');
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple === undefined) throw invalidFilterAt(text, i, `bad escape ${JSON.stringify(`\\${e}`)} in string`);
      value += simple;
      i += 2;
      continue;
    }
    if (c < ' ') throw invalidFilterAt(text, i, 'unescaped control character in string');
    value += c;
    i += 1;
  }
  throw invalidFilterAt(text, start, 'unterminated string');
}
