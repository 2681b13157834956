import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/idp/', import.meta.url);

/** A request body from test/fixtures/idp/<idp>/<file>, with `{{name}}` placeholders filled in. */
export function idpFixture(idp: 'entra' | 'okta', file: string, values: Record<string, string> = {}): unknown {
  const text = readFileSync(new URL(`${idp}/${file}`, FIXTURES), 'utf8');
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`fixture ${idp}/${file} needs a value for {{${name}}}`);
    return value;
  });
  return JSON.parse(filled) as unknown;
}
