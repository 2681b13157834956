import { attrPath, type AttrPath, type Filter, subPath } from '../filter/ast.js';
import type { AttributeResolver } from '../filter/attribute-resolver.js';
import { parseFilter } from '../filter/parser.js';
import type { ListRequest } from './list-request.js';

/**
 * RFC 7644 §3.4.3 for `POST /.search` across resource types: whether every attribute the request
 * names (in its filter, sortBy, attributes and excludedAttributes) is one the type has. A type
 * that lacks one is left out of the answer; a malformed filter is an error on every type, so it
 * is thrown here.
 */
export function namesOnlyKnownAttributes(request: ListRequest, resolve: AttributeResolver): boolean {
  const known = (path: AttrPath): boolean => resolve(path) !== undefined;
  const listed = [request.attributes, request.excludedAttributes].flatMap((list) => (list ?? '').split(','));
  return (
    (request.filter === undefined || filterPaths(parseFilter(request.filter)).every(known)) &&
    (request.sortBy === undefined || known(attrPath(request.sortBy))) &&
    listed.map((name) => name.trim()).every((name) => name === '' || name.toLowerCase() === 'schemas' || known(attrPath(name)))
  );
}

/** Every attribute path of a filter; inside `attr[…]` the paths are sub-attributes of `attr`. */
function filterPaths(filter: Filter): AttrPath[] {
  switch (filter.kind) {
    case 'compare':
    case 'present':
      return [filter.path];
    case 'and':
    case 'or':
      return [...filterPaths(filter.left), ...filterPaths(filter.right)];
    case 'not':
      return filterPaths(filter.filter);
    case 'valuePath':
      return [filter.path, ...filterPaths(filter.filter).map((inner) => subPath(filter.path, inner.attr))];
  }
}
