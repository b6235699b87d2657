import type { InventoryObject } from './inventory-browser.js';

/**
 * InventoryBrowserFilters.filter: PredicateExpression and GroupExpression.
 * Comparisons ignore case (VBR's documented examples mix `type` spellings);
 * `In` takes a comma-separated list, as in the spec's `"VirtualMachine, vApp"`.
 */
export type FilterExpression =
  | { type: 'PredicateExpression'; property: string; operation: string; value: string }
  | { type: 'GroupExpression'; operation: 'And' | 'Or' | 'Not'; items: FilterExpression[] };

export class FilterError extends Error {}

const PROPERTIES = ['platform', 'size', 'hostName', 'name', 'type', 'objectId', 'urn'] as const;

type Test = (actual: string, value: string) => boolean;

/** EPredicateExpressionOperationType, one entry per operation; operands already lower-cased. */
const OPERATIONS: Record<string, Test> = {
  Equals: (a, v) => a === v,
  NotEquals: (a, v) => a !== v,
  Contains: (a, v) => a.includes(v),
  StartsWith: (a, v) => a.startsWith(v),
  EndsWith: (a, v) => a.endsWith(v),
  In: (a, v) => v.split(',').some((item) => item.trim() === a),
  LessThan: (a, v) => a < v,
  LessThanOrEqual: (a, v) => a <= v,
  GreaterThan: (a, v) => a > v,
  GreaterThanOrEqual: (a, v) => a >= v,
};

const GROUPS = ['And', 'Or', 'Not'];

/** Checks a filter from a request body; throws FilterError saying what is wrong. */
export function parseFilter(raw: unknown, where = 'filter'): FilterExpression {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FilterError(`${where} must be an object`);
  const f = raw as Record<string, unknown>;
  if (f['type'] === 'PredicateExpression') {
    const property = PROPERTIES.find((p) => p.toLowerCase() === String(f['property']).toLowerCase());
    if (!property) throw new FilterError(`${where}.property must be one of ${PROPERTIES.join(', ')}`);
    if (typeof f['operation'] !== 'string' || !(f['operation'] in OPERATIONS)) throw new FilterError(`${where}.operation must be one of ${Object.keys(OPERATIONS).join(', ')}`);
    if (typeof f['value'] !== 'string') throw new FilterError(`${where}.value must be a string`);
    return { type: 'PredicateExpression', property, operation: f['operation'], value: f['value'] };
  }
  if (f['type'] === 'GroupExpression') {
    if (typeof f['operation'] !== 'string' || !GROUPS.includes(f['operation'])) throw new FilterError(`${where}.operation must be one of ${GROUPS.join(', ')}`);
    if (!Array.isArray(f['items']) || f['items'].length === 0) throw new FilterError(`${where}.items must be a non-empty array`);
    const items = f['items'].map((item, i) => parseFilter(item, `${where}.items[${i}]`));
    if (f['operation'] === 'Not' && items.length !== 1) throw new FilterError(`${where}: Not takes exactly one item`);
    return { type: 'GroupExpression', operation: f['operation'] as 'And' | 'Or' | 'Not', items };
  }
  throw new FilterError(`${where}.type must be PredicateExpression or GroupExpression`);
}

export function matches(filter: FilterExpression, o: InventoryObject): boolean {
  if (filter.type === 'GroupExpression') {
    if (filter.operation === 'And') return filter.items.every((f) => matches(f, o));
    if (filter.operation === 'Or') return filter.items.some((f) => matches(f, o));
    return !matches(filter.items[0]!, o);
  }
  const actual = (o as unknown as Record<string, string | undefined>)[filter.property];
  // An object without the property (size: never simulated) matches nothing but NotEquals.
  if (actual === undefined) return filter.operation === 'NotEquals';
  return OPERATIONS[filter.operation]!(actual.toLowerCase(), filter.value.toLowerCase());
}
