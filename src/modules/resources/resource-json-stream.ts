import { Readable } from 'node:stream';
import type { ScimObject } from '../../scim/patch/scim-json.js';

/**
 * The JSON of one resource whose `attribute` (a group's members) is written page by page as the
 * client reads, so a group of 100,000 members is never held in memory as one array or one
 * string. `resource` is the projected resource without it; `pages` yields projected values. The
 * attribute goes just before `meta`, where a whole-object answer puts it.
 */
export function resourceJsonStream(resource: ScimObject, attribute: string, pages: AsyncIterable<readonly ScimObject[]>): Readable {
  const { meta, ...rest } = resource;
  const head = JSON.stringify(rest);
  async function* chunks(): AsyncGenerator<string> {
    yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(attribute)}:[`;
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      yield `${first ? '' : ','}${page.map((value) => JSON.stringify(value)).join(',')}`;
      first = false;
    }
    yield meta === undefined ? ']}' : `],"meta":${JSON.stringify(meta)}}`;
  }
  return Readable.from(chunks());
}
