import { describe, expect, it } from '@jest/globals';
import { resourceJsonStream } from './resource-json-stream.js';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let body = '';
  for await (const chunk of stream) body += String(chunk);
  return body;
}

async function* pagesOf(...pages: Record<string, unknown>[][]): AsyncGenerator<Record<string, unknown>[]> {
  for (const page of pages) yield page;
}

describe('resourceJsonStream', () => {
  it('writes the same JSON as the whole object would, members before meta, across pages', async () => {
    const resource = { schemas: ['s'], id: 'g', displayName: 'Quote " and \\ back', meta: { version: 'W/"3"' } };
    const body = await text(resourceJsonStream(resource, 'members', pagesOf([{ value: 'a' }, { value: 'b' }], [], [{ value: 'c' }])));
    expect(JSON.parse(body)).toEqual({ ...resource, members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['schemas', 'id', 'displayName', 'members', 'meta']);
  });

  it('copes with a projection that left only members', async () => {
    const body = await text(resourceJsonStream({}, 'members', pagesOf([{ value: 'a' }])));
    expect(JSON.parse(body)).toEqual({ members: [{ value: 'a' }] });
  });
});
