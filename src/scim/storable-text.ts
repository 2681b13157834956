// A UTF-16 surrogate without its partner: UTF-8 cannot encode it, so neither database can store it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether both databases can hold `text` as it is: no U+0000 (PostgreSQL text cannot) and no
 * unpaired surrogate (RFC 8259 §8.2 allows one in JSON, UTF-8 cannot encode it). No stored value
 * is anything else, so a string that fails this can be refused, or match nothing, before any SQL.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * The path (`name`, `settings.rateLimits`, `items[2]`) of the first string in a parsed JSON value,
 * key or value, that isStorableText refuses; undefined when every one passes.
 */
export function unstorableTextIn(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path || '(the value)';
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableTextIn(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return JSON.stringify(here);
    const found = unstorableTextIn(item, here);
    if (found !== undefined) return found;
  }
  return undefined;
}
