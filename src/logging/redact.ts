import { stdSerializers } from 'pino';

export const REDACTED = '[Redacted]';

/** Header and field names whose values never reach a log, whatever object they sit in. */
const SECRET_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'key', 'parameters']);

/**
 * Keys ending like these are secrets: `password`, `clientSecret`, `client_secret`, `token`,
 * `access_token`, a webhook `secret`. `parameters` above are a failed query's bound values
 * (TypeORM's QueryFailedError), which may hold a password hash or any attribute.
 */
const SECRET_KEY_ENDINGS = /(password|secret|token)$/i;

/** Credentials in free text: our prefixed tokens and secrets, HTTP auth schemes, form fields. */
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9_\-+/=.~]+/gi, `$1 ${REDACTED}`],
  [/\b(rst_(?:at|st|cs)_|whsec_)[A-Za-z0-9_\-+/=.]+/g, `$1${REDACTED}`],
  [/\b(client_secret|password|access_token|token)=[^&\s"]*/gi, `$1=${REDACTED}`],
];

/**
 * Every credential SECRET_TEXT masks contains one of these words: a string with none of them (an
 * id, a route, a URL without a secret, nearly every string of a request line) is answered as it is
 * after one scan instead of three.
 */
const CREDENTIAL_HINT = /bearer|basic|rst_|whsec_|secret|password|token/i;

const MAX_DEPTH = 12;

/** Whether each key already seen is a secret's key: a request line repeats the same few keys. Bounded, as keys come from clients. */
const secretKeys = new Map<string, boolean>();
const SECRET_KEYS_REMEMBERED = 1024;

/**
 * A copy of a log record with every secret replaced by `[Redacted]`: values under secret keys
 * (at any depth), a SCIM PATCH operation's `value` when its `path` is `password` (RFC 7644
 * §3.5.2; the key rule cannot see that one), and credentials inside strings (an error message
 * quoting a header). Errors become plain objects first (pino's own serializer), so their
 * message, cause and extra properties are searched too.
 */
export function redactForLog<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

/** A log message with the credentials it quotes masked. */
export function redactText(text: string): string {
  if (!CREDENTIAL_HINT.test(text)) return text;
  return SECRET_TEXT.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return walk(stdSerializers.errWithCause(value), depth, seen);
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const patchesPassword = isPasswordPatch(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const isSecret = isSecretKey(key) || (patchesPassword && key.toLowerCase() === 'value');
    copy[key] = isSecret && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1, seen);
  }
  return copy;
}

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEYS.has(key.toLowerCase()) || SECRET_KEY_ENDINGS.test(key);
    if (secretKeys.size < SECRET_KEYS_REMEMBERED) secretKeys.set(key, secret);
  }
  return secret;
}

/** `{"op":"replace","path":"password","value":"…"}`, also URN-qualified (`urn:…:User:password`). */
function isPasswordPatch(value: object): boolean {
  for (const key of Object.keys(value)) {
    if (key.toLowerCase() !== 'path') continue;
    const path = (value as Record<string, unknown>)[key];
    return typeof path === 'string' && /(^|:)password$/i.test(path.trim());
  }
  return false;
}
