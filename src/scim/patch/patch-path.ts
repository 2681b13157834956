import { ScimError } from '../errors.js';
import { attrPath, type Filter, formatAttrPath, valuePath } from '../filter/ast.js';
import { createSchemaResolver } from '../filter/attribute-resolver.js';
import { compileMatcher } from '../filter/evaluate.js';
import { parseFilter } from '../filter/parser.js';
import type { AttributeDefinition, SchemaDefinition } from '../schemas/characteristics.js';
import { isRecord, type ScimObject, setMember } from './scim-json.js';

/** The resource type a PATCH works on: core schema, extensions and the RFC 7643 §3.1 common attributes. */
export interface PatchContext {
  readonly coreSchema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
  readonly commonAttributes: readonly AttributeDefinition[];
  /** Most operations in one request; DEFAULT_MAX_OPERATIONS when absent. */
  readonly maxOperations?: number;
}

/** A PATCH path resolved against the schemas, names in their canonical spelling (RFC 7644 §3.5.2). */
export interface PatchPath {
  /** The path as the client wrote it, for error messages. */
  readonly text: string;
  /** The extension URN whose JSON key holds the attribute (RFC 7643 §3.3); absent for core attributes. */
  readonly extension?: string;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** The value filter of `attr[filter]`, its paths relative to one element. */
  readonly filter?: Filter;
  /** Whether one element of the multi-valued attribute satisfies `filter`. */
  readonly matches?: (element: unknown) => boolean;
}

const MAX_PATH_LENGTH = 1024;

function lookup(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === wanted);
}

/** A sub-attribute of a complex attribute by name, case-insensitively (RFC 7643 §2.1). */
export function findSubAttribute(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return lookup(attribute.subAttributes ?? [], name);
}

/** RFC 7644 §3.10: which schema holds `name`; a URN-less name tries core, common, then each extension. */
function findAttribute(
  context: PatchContext,
  uri: string | undefined,
  name: string,
): { extension?: string; attribute: AttributeDefinition } | undefined {
  const core = [...context.coreSchema.attributes, ...context.commonAttributes];
  const wanted = uri?.toLowerCase();
  if (wanted === undefined || wanted === context.coreSchema.id.toLowerCase()) {
    const attribute = lookup(core, name);
    if (attribute !== undefined || wanted !== undefined) return attribute && { attribute };
  }
  for (const schema of context.extensions) {
    if (wanted !== undefined && wanted !== schema.id.toLowerCase()) continue;
    const attribute = lookup(schema.attributes, name);
    if (attribute !== undefined) return { extension: schema.id, attribute };
  }
  return undefined;
}

/** Index of the `]` closing a bracket opened before `from`, skipping quoted filter strings. */
function closingBracket(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '\\') i += 1;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ']') return i;
  }
  return -1;
}

/** RFC 7644 §3.5.2 PATH: `attr`, `attr.sub`, `urn:…:attr.sub`, `attr[filter]` and `attr[filter].sub`. */
export function parsePatchPath(text: string, context: PatchContext): PatchPath {
  const fail = (why: string): never => {
    throw ScimError.invalidPath(`path ${JSON.stringify(text)}: ${why}`);
  };
  if (text.trim() === '') fail('it is empty');
  if (text.length > MAX_PATH_LENGTH) fail(`it is over ${MAX_PATH_LENGTH} characters long`);

  const open = text.indexOf('[');
  let head = text;
  let filterText: string | undefined;
  let subName: string | undefined;
  if (open >= 0) {
    const close = closingBracket(text, open + 1);
    if (close < 0) fail('"[" is never closed');
    head = text.slice(0, open);
    filterText = text.slice(open + 1, close);
    const tail = text.slice(close + 1);
    if (tail !== '' && !tail.startsWith('.')) fail('only ".subAttribute" may follow "]"');
    if (tail !== '') subName = tail.slice(1);
  }
  const written = attrPath(head);
  if (filterText !== undefined && written.sub !== undefined) fail('"[...]" must follow an attribute, not a sub-attribute');
  subName ??= written.sub;

  const found = findAttribute(context, written.uri, written.attr) ?? fail(`no attribute "${formatAttrPath(written)}"`);
  const { attribute } = found;
  const extension = found.extension === undefined ? {} : { extension: found.extension };
  const subAttribute =
    subName === undefined ? undefined : (findSubAttribute(attribute, subName) ?? fail(`"${attribute.name}" has no sub-attribute "${subName}"`));
  const sub = subAttribute === undefined ? {} : { subAttribute };
  if (filterText === undefined) return { text, ...extension, attribute, ...sub };

  if (!attribute.multiValued || attribute.type !== 'complex') fail(`"${attribute.name}" is not multi-valued and complex, so it takes no filter`);
  return { text, ...extension, attribute, ...sub, ...compileValueFilter(filterText, found.extension, attribute, context, fail) };
}

/** Reuses the RFC 7644 §3.4.2.2 filter parser and evaluator on one element at a time. */
function compileValueFilter(
  filterText: string,
  extension: string | undefined,
  attribute: AttributeDefinition,
  context: PatchContext,
  fail: (why: string) => never,
): { filter: Filter; matches: (element: unknown) => boolean } {
  const resolve = createSchemaResolver([context.coreSchema, ...context.extensions], context.commonAttributes);
  try {
    const filter = parseFilter(filterText);
    const uri = extension === undefined ? {} : { uri: extension };
    const matcher = compileMatcher(valuePath({ ...uri, attr: attribute.name }, filter), resolve);
    const matches = (element: unknown): boolean => {
      if (!isRecord(element)) return false;
      const holder: ScimObject = {};
      setMember(holder, attribute.name, [element]);
      if (extension === undefined) return matcher(holder);
      const resource: ScimObject = {};
      setMember(resource, extension, holder);
      return matcher(resource);
    };
    return { filter, matches };
  } catch (error) {
    if (error instanceof ScimError) return fail(error.detail);
    throw error;
  }
}
