// Part of `npm run build` (scripts/bundle.mjs): esbuild's `keepNames` at no cost per request.
//
// keepNames wraps every function expression in `__name(fn, "x")`, a `defineProperty` of `name`
// run each time the function is created, which also moves the function off its shared hidden
// class. Closures made per request (rxjs's operators, Passport's callbacks, Nest's execution
// context) paid it about twenty times per GET /Users/{id}: 315 µs of CPU per request against
// 237 for tsc's unbundled output (issue 15). Names are needed, though: @nestjs/swagger tells a
// lazy `type: () => Dto` from a class by the arrow's name (`type`), Nest and the OpenAPI document
// name things after classes, and esbuild renames some declarations.
//
// Where the wrapped function sits in a place that names it by itself (ECMA-262 NamedEvaluation:
// `x: () => …`, `var x = function () {…}`, `x = …`, a class field, a default value) under the very
// name esbuild would give it, the wrapper goes and the function stays in parentheses, which keep
// that naming. What is left (classes' static blocks, renamed or positional functions) keeps the
// helper, which now skips functions that already carry the name.
import { parse } from 'acorn';

const HELPER = 'var __name = (target2, value) => __defProp(target2, "name", { value, configurable: true });';
const CHECKED_HELPER =
  'var __name = (target2, value) => target2.name === value ? target2 : __defProp(target2, "name", { value, configurable: true });';

/** The bundle's text with self-naming `__name` wrappers unwrapped; throws if esbuild's helper changed. */
export function unwrapSelfNamingFunctions(bundle) {
  if (bundle.split(HELPER).length !== 2) throw new Error("esbuild's __name helper changed: review scripts/bundle-names.mjs");
  const program = parse(bundle, { ecmaVersion: 'latest', sourceType: 'module' });
  const edits = [];
  visit(program, null, (call, parent) => {
    const fn = call.arguments[0];
    if (nameGivenBy(parent, call) === call.arguments[1].value && fn.id == null) {
      edits.push({ start: call.start, end: fn.start, text: '(' }, { start: fn.end, end: call.end, text: ')' });
    }
  });
  if (edits.length === 0) throw new Error('no __name wrapper unwrapped: review scripts/bundle-names.mjs');
  edits.sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(bundle.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(bundle.slice(at));
  return parts.join('').replace(HELPER, CHECKED_HELPER);
}

/** Calls `onWrapper` for each `__name(<function expression>, "<string>")` with its parent node. */
function visit(node, parent, onWrapper) {
  if (isNameWrapper(node)) onWrapper(node, parent);
  for (const key in node) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item !== null && typeof item.type === 'string') visit(item, node, onWrapper);
    } else if (child !== null && typeof child === 'object' && typeof child.type === 'string') {
      visit(child, node, onWrapper);
    }
  }
}

function isNameWrapper(node) {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === '__name' &&
    node.arguments.length === 2 &&
    (node.arguments[0].type === 'ArrowFunctionExpression' || node.arguments[0].type === 'FunctionExpression') &&
    node.arguments[1].type === 'Literal' &&
    typeof node.arguments[1].value === 'string'
  );
}

/** The name ECMA-262's NamedEvaluation gives an anonymous function in `value`'s place, if any. */
function nameGivenBy(parent, value) {
  switch (parent?.type) {
    case 'Property':
      return parent.value === value && parent.kind === 'init' && !parent.computed && !parent.method ? keyName(parent.key) : undefined;
    case 'PropertyDefinition':
      return parent.value === value && !parent.computed ? keyName(parent.key) : undefined;
    case 'VariableDeclarator':
      return parent.init === value && parent.id.type === 'Identifier' ? parent.id.name : undefined;
    case 'AssignmentExpression':
      return parent.right === value && parent.operator === '=' && parent.left.type === 'Identifier' ? parent.left.name : undefined;
    case 'AssignmentPattern':
      return parent.right === value && parent.left.type === 'Identifier' ? parent.left.name : undefined;
    default:
      return undefined;
  }
}

function keyName(key) {
  if (key.type === 'Identifier') return key.name;
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : undefined;
}
