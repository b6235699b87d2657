/**
 * EM query-service filters: `==`, `!=`, `<`, `>`, `<=`, `>=`; `;` is AND, `,` is
 * OR, parentheses group; values with spaces in double quotes (inner quotes
 * doubled). AND binds tighter than OR (guess: the docs do not say).
 */
export type FieldValue = string | number | undefined;
export type FieldAccessor<T> = (item: T, field: string) => FieldValue;

type Op = '==' | '!=' | '<' | '>' | '<=' | '>=';
export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'cmp'; field: string; op: Op; value: string };

export class FilterSyntaxError extends Error {}

export function parseFilter(text: string): FilterNode {
  let i = 0;
  const peek = (): string => text[i] ?? '';
  const skip = (): void => {
    while (/\s/.test(peek())) i++;
  };

  const or = (): FilterNode => {
    const items = [and()];
    skip();
    while (peek() === ',') {
      i++;
      items.push(and());
      skip();
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const and = (): FilterNode => {
    const items = [primary()];
    skip();
    while (peek() === ';') {
      i++;
      items.push(primary());
      skip();
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const primary = (): FilterNode => {
    skip();
    if (peek() === '(') {
      i++;
      const node = or();
      skip();
      if (peek() !== ')') throw new FilterSyntaxError(`expected ')' at ${i} in filter "${text}"`);
      i++;
      return node;
    }
    const m = /^([A-Za-z_][\w.]*)\s*(==|!=|<=|>=|<|>)\s*/.exec(text.slice(i));
    if (!m) throw new FilterSyntaxError(`expected <field><op><value> at ${i} in filter "${text}"`);
    i += m[0].length;
    return { kind: 'cmp', field: m[1]!, op: m[2] as Op, value: value() };
  };
  const value = (): string => {
    if (peek() === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError(`unterminated quoted value in filter "${text}"`);
        const ch = text[i++]!;
        if (ch === '"') {
          if (peek() === '"') {
            out += '"';
            i++;
          } else return out;
        } else out += ch;
      }
    }
    const start = i;
    while (i < text.length && !';,()'.includes(peek())) i++;
    return text.slice(start, i).trim();
  };

  const node = or();
  skip();
  if (i !== text.length) throw new FilterSyntaxError(`unexpected '${peek()}' at ${i} in filter "${text}"`);
  return node;
}

export function evaluateFilter<T>(node: FilterNode, item: T, get: FieldAccessor<T>): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => evaluateFilter(n, item, get));
    case 'or':
      return node.items.some((n) => evaluateFilter(n, item, get));
    case 'cmp':
      return compare(get(item, node.field.toLowerCase()), node.op, node.value);
  }
}

function compare(actual: FieldValue, op: Op, expected: string): boolean {
  if (actual === undefined) return op === '!=';
  let c: number;
  if (typeof actual === 'number') {
    // Numeric fields hold times (epoch ms) or counts; the filter may give either an ISO date or a number.
    const n = /^-?\d+(\.\d+)?$/.test(expected) ? Number(expected) : Date.parse(expected);
    if (Number.isNaN(n)) return op === '!=';
    c = actual - n;
  } else if (op === '==' || op === '!=') {
    // Equality is the hot path of filtered scans: plain case-insensitive comparison.
    return (actual.toLowerCase() === expected.toLowerCase()) === (op === '==');
  } else {
    c = actual.localeCompare(expected, 'en', { sensitivity: 'accent' });
  }
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}
