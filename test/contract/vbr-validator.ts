import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates JSON against Veeam's published VBR REST schemas: the subset in
 * vbr-openapi-1.3-rev1.subset.json (made by scripts/vbr-openapi-subset.mjs).
 * The document is OpenAPI 3.0; Ajv speaks JSON Schema, so two things are
 * translated when it loads (the subset file itself stays Veeam's text):
 *
 * - `discriminator` + `oneOf` on a parent whose children `allOf` the parent
 *   (Veeam's pattern: ReplicaModel ↔ RegularReplicaModel, InventoryObjectModel
 *   ↔ VmwareObjectModel, …). Read literally that loops (parent → child →
 *   parent → …). OpenAPI means: an object of the parent type is checked
 *   against the child its discriminator value maps to, and a child includes
 *   the parent's own properties. So each such parent becomes a "base" (its
 *   own properties) and a dispatch (base + discriminator value must be mapped
 *   + if value = k then the mapped child); children `allOf` the base.
 * - `nullable` is kept: Ajv implements OpenAPI's keyword itself.
 *
 * Extra properties are allowed, as the document allows them; undocumented
 * fields are the EM allowlist's business, not this one's.
 */

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
type Schema = Json & { discriminator?: { propertyName: string; mapping?: Record<string, string> }; oneOf?: { $ref: string }[]; allOf?: Json[] };

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref: string } }> }>;
}

interface Subset {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>; examples: Record<string, { value: unknown }> };
}

const SUBSET_FILE = new URL('./vbr-openapi-1.3-rev1.subset.json', import.meta.url);
export const vbrSubset: Subset = JSON.parse(readFileSync(SUBSET_FILE, 'utf8')) as Subset;

const SCHEMAS = '#/components/schemas/';
const nameOf = (ref: string) => ref.slice(SCHEMAS.length);
// In Ajv, everything lives under draft-07 `definitions`; a parent's base is `<Name>.base`.
const defRef = (name: string) => `#/definitions/${name}`;
const baseName = (name: string) => `${name}.base`;

function rewriteRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(rewriteRefs) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMAS) ? defRef(nameOf(v)) : rewriteRefs(v)])) as T;
}

function translate(schemas: Record<string, Schema>): Record<string, Json> {
  const discriminated = new Set(Object.entries(schemas).filter(([, s]) => s.discriminator && s.oneOf).map(([n]) => n));
  const out: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { discriminator, oneOf, ...own } = schema;
    // A child's allOf names its parent for the parent's own properties, not its dispatch.
    if (own.allOf) own.allOf = own.allOf.map((part) => (typeof part['$ref'] === 'string' && discriminated.has(nameOf(part['$ref'])) ? { $ref: defRef(baseName(nameOf(part['$ref']))) } : part));
    if (!discriminator || !oneOf) {
      out[name] = rewriteRefs(own);
      continue;
    }
    out[baseName(name)] = rewriteRefs(own);
    const property = discriminator.propertyName;
    const mapping = discriminator.mapping ?? Object.fromEntries(oneOf.map((o) => [nameOf(o.$ref), o.$ref]));
    out[name] = {
      description: own['description'],
      allOf: [
        { $ref: defRef(baseName(name)) },
        { required: [property], properties: { [property]: { enum: Object.keys(mapping) } } },
        ...Object.entries(mapping).map(([value, ref]) => ({ if: { required: [property], properties: { [property]: { const: value } } }, then: { $ref: defRef(nameOf(ref)) } })),
      ],
    };
  }
  return out;
}

/** Vendor annotations (`x-…`) and OpenAPI's `example` carry no validation. */
function annotationKeywords(node: unknown, found = new Set<string>(['example'])): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => annotationKeywords(n, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) found.add(k);
      annotationKeywords(v, found);
    }
  }
  return found;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
addFormats(ajv);
for (const keyword of annotationKeywords(vbrSubset.components.schemas)) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array', 'boolean', 'number'] });
ajv.addSchema({ $id: 'vbr', definitions: translate(vbrSubset.components.schemas) });

export interface ContractResult {
  valid: boolean;
  /** One line per violation: `<JSON pointer> <message>`. */
  errors: string[];
}

const validators = new Map<string, ValidateFunction>();

function validatorOf(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!vbrSubset.components.schemas[name]) throw new Error(`schema ${name} is not in the VBR subset (scripts/vbr-openapi-subset.mjs SCHEMA_ROOTS)`);
    v = ajv.getSchema(`vbr${defRef(name)}`)!;
    validators.set(name, v);
  }
  return v;
}

// A child checks its parent's base again (dispatch, then allOf): the same violation may come twice.
const describe = (errors: ErrorObject[] | null | undefined): string[] => [
  ...new Set(
    (errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''}`),
  ),
];

/** Validate a value against one schema of the subset, e.g. `ReplicaPointModel`. */
export function validateSchema(name: string, value: unknown): ContractResult {
  const v = validatorOf(name);
  const valid = v(value);
  return { valid, errors: valid ? [] : describe(v.errors) };
}

function operation(method: string, path: string): Operation {
  const op = vbrSubset.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the VBR subset (scripts/vbr-openapi-subset.mjs OPERATIONS)`);
  return op;
}

function jsonSchemaName(content: Record<string, { schema: { $ref: string } }> | undefined): string | undefined {
  const ref = content?.['application/json']?.schema.$ref;
  return ref === undefined ? undefined : nameOf(ref);
}

/** HTTP statuses the document lists for an operation (path as templated in the document, e.g. `/api/v1/jobs/{id}`). */
export function documentedStatuses(method: string, path: string): number[] {
  return Object.keys(operation(method, path).responses).map(Number);
}

/** The schema of an operation's JSON answer with this status, or undefined when the document gives it no JSON body. */
export function responseSchemaName(method: string, path: string, status: number): string | undefined {
  const response = operation(method, path).responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path}: status ${status} is not documented (${documentedStatuses(method, path).join(', ')})`);
  const resolved = response.$ref ? vbrSubset.components.responses[response.$ref.split('/').pop()!] : response;
  return jsonSchemaName(resolved?.content);
}

/**
 * Validate an answer: its status must be one the document lists for the
 * operation, and its body (`undefined` for an empty one) must match that
 * status's schema.
 */
export function validateResponse(method: string, path: string, status: number, body: unknown): ContractResult {
  if (!documentedStatuses(method, path).includes(status)) {
    return { valid: false, errors: [`status ${status} is not documented for ${method.toUpperCase()} ${path} (${documentedStatuses(method, path).join(', ')})`] };
  }
  const schema = responseSchemaName(method, path, status);
  if (schema === undefined) return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: [`status ${status} has no documented body`] };
  if (body === undefined) return { valid: false, errors: [`status ${status} has an empty body; the document describes ${schema}`] };
  return validateSchema(schema, body);
}

/** Validate a JSON request body (e.g. InventoryBrowserFilters of POST /api/v1/inventory/{hostname}). */
export function validateRequestBody(method: string, path: string, body: unknown): ContractResult {
  const schema = jsonSchemaName(operation(method, path).requestBody?.content);
  if (schema === undefined) throw new Error(`${method.toUpperCase()} ${path} takes no JSON body`);
  return validateSchema(schema, body);
}
