import { Readable } from 'node:stream';
import type { ScimObject } from '../../scim/patch/scim-json.js';

/**
 * The JSON of one group whose members are written page by page as the client reads, so a group
 * of 100,000 members is never held in memory as one array or one string. `resource` is the
 * projected group without members; `pages` yields projected members. Members go just before
 * `meta`, where a whole-object answer puts them.
 */
export function groupJsonStream(resource: ScimObject, pages: AsyncIterable<readonly ScimObject[]>): Readable {
  const { meta, ...rest } = resource;
  const head = JSON.stringify(rest);
  async function* chunks(): AsyncGenerator<string> {
    yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}"members":[`;
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      yield `${first ? '' : ','}${page.map((member) => JSON.stringify(member)).join(',')}`;
      first = false;
    }
    yield meta === undefined ? ']}' : `],"meta":${JSON.stringify(meta)}}`;
  }
  return Readable.from(chunks());
}
