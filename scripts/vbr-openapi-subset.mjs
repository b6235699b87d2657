#!/usr/bin/env node
// Cuts Veeam's published VBR REST OpenAPI document down to what the gateway
// reads (test/contract/vbr-openapi-<revision>.subset.json). Reads a local copy
// only; it downloads nothing. See docs/real-sources.md, "Contract tests".
//
//   git -C <mirror of Cenvora/veeam-br> show <commit>:openapi_schemas/vbr_rest_1.3-rev1.json > /tmp/vbr.json
//   node scripts/vbr-openapi-subset.mjs --input /tmp/vbr.json --commit <commit> [--date YYYY-MM-DD] [--output FILE]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The operations the gateway's VBR client calls, and the schemas it names. */
const OPERATIONS = [
  ['post', '/api/oauth2/token'],
  ['post', '/api/oauth2/logout'],
  ['get', '/api/v1/serverInfo'],
  ['get', '/api/v1/license'],
  ['get', '/api/v1/replicas'],
  ['get', '/api/v1/replicaPoints'],
  ['get', '/api/v1/replicas/{id}/replicaPoints'],
  ['get', '/api/v1/jobs/{id}'],
  ['post', '/api/v1/inventory'],
  ['post', '/api/v1/inventory/{hostname}'],
  ['get', '/api/v1/replicas/{id}'],
  // The replica lifecycle of vSphere snapshot replicas, and the sessions it starts.
  ['post', '/api/v1/failover/failoverNow/vSphere/snapshot'],
  ['post', '/api/v1/failover/plannedFailover/vSphere/snapshot'],
  ['post', '/api/v1/failover/permanentFailover/vSphere/snapshot'],
  ['post', '/api/v1/failover/undoFailover/vSphere/snapshot'],
  ['post', '/api/v1/failback/failbackToProduction/vSphere/snapshot'],
  ['post', '/api/v1/failback/switchToProduction/vSphere/snapshot'],
  ['post', '/api/v1/failback/changeSwitchoverTime/vSphere/snapshot'],
  ['post', '/api/v1/failback/commitFailback/vSphere/snapshot'],
  ['post', '/api/v1/failback/undoFailback/vSphere/snapshot'],
  ['get', '/api/v1/sessions'],
  ['get', '/api/v1/sessions/{id}'],
];
const SCHEMA_ROOTS = [
  'TokenModel', 'Error', 'ServerInfoModel', 'InstalledLicenseModel',
  'ReplicasResult', 'ReplicaModel', 'RegularReplicaModel', 'ReplicaPointsResult', 'ReplicaPointModel',
  'VSphereReplicaJobModel', 'InventoryBrowserResult', 'InventoryObjectModel', 'VmwareObjectModel', 'CloudDirectorObjectModel',
  'InventoryBrowserFilters', 'PaginationResult',
  'SessionsResult', 'SessionModel', 'ViVMSnapshotReplicaFailoverSpec', 'ViVMSnapshotReplicaFailbackSpec', 'ReplicaFailbackModeSpec',
];
/** JobModel is a oneOf over every job type; only the vSphere replica job is kept. */
const KEPT_JOB_TYPES = { VSphereReplica: 'VSphereReplicaJobModel' };
const KEPT_JOB_EXAMPLES = ['vSphereReplicaJobModelExample'];
/** Examples no kept operation names but whose objects the kept schemas describe (the validator's tests use them). */
const EXAMPLE_ROOTS = ['ReplicaPointModelExample'];

const { values: args } = parseArgs({
  options: {
    input: { type: 'string' },
    output: { type: 'string' },
    commit: { type: 'string', default: 'unknown' },
    repository: { type: 'string', default: 'Cenvora/veeam-br' },
    path: { type: 'string' },
    date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
});
if (!args.input) {
  console.error('usage: node scripts/vbr-openapi-subset.mjs --input <vbr_rest_<revision>.json> [--commit SHA] [--date YYYY-MM-DD] [--output FILE]');
  process.exit(2);
}

const bytes = readFileSync(args.input);
const doc = JSON.parse(bytes.toString('utf8'));
const revision = doc.info?.version;
if (typeof revision !== 'string' || !doc.paths || !doc.components?.schemas) {
  console.error(`${args.input}: not a VBR OpenAPI document (info.version, paths, components.schemas)`);
  process.exit(1);
}
const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
const output = args.output ?? `test/contract/vbr-openapi-${revision}.subset.json`;

const clone = (v) => structuredClone(v);
const refsIn = (node, out = []) => {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
};

const paths = {};
for (const [method, path] of OPERATIONS) {
  const op = doc.paths[path]?.[method];
  if (!op) {
    console.error(`${args.input}: ${method.toUpperCase()} ${path} is missing`);
    process.exit(1);
  }
  const kept = clone(op);
  if (path === '/api/v1/jobs/{id}') {
    const examples = kept.responses['200'].content['application/json'].examples;
    for (const name of Object.keys(examples)) if (!KEPT_JOB_EXAMPLES.includes(name)) delete examples[name];
  }
  (paths[path] ??= {})[method] = kept;
}

// Everything the kept operations and roots reference, transitively.
const components = { schemas: {}, responses: {}, parameters: {}, examples: {} };
const pending = [...refsIn(paths), ...SCHEMA_ROOTS.map((n) => `#/components/schemas/${n}`), ...EXAMPLE_ROOTS.map((n) => `#/components/examples/${n}`)];
while (pending.length > 0) {
  const ref = pending.pop();
  const m = /^#\/components\/(schemas|responses|parameters|examples)\/(.+)$/.exec(ref);
  if (!m) {
    console.error(`unsupported $ref ${ref}`);
    process.exit(1);
  }
  const [, section, name] = m;
  if (components[section][name]) continue;
  const original = doc.components[section]?.[name];
  if (!original) {
    console.error(`${args.input}: ${ref} is referenced but not defined`);
    process.exit(1);
  }
  const kept = clone(original);
  if (section === 'schemas' && name === 'JobModel') {
    kept.oneOf = Object.values(KEPT_JOB_TYPES).map((n) => ({ $ref: `#/components/schemas/${n}` }));
    kept.discriminator.mapping = Object.fromEntries(Object.entries(KEPT_JOB_TYPES).map(([k, n]) => [k, `#/components/schemas/${n}`]));
  }
  components[section][name] = kept;
  pending.push(...refsIn(kept));
}
const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

const subset = {
  openapi: doc.openapi,
  info: doc.info,
  'x-subset': {
    note: 'A subset of Veeam\'s published VBR REST OpenAPI document: only what the failover gateway reads. Regenerate with scripts/vbr-openapi-subset.mjs (see docs/real-sources.md, "Contract tests"); do not edit by hand.',
    source: { repository: args.repository, path: args.path ?? `openapi_schemas/vbr_rest_${revision}.json`, revision, commit: args.commit, gitBlob: blob },
    extracted: args.date,
    operations: OPERATIONS.map(([m, p]) => `${m.toUpperCase()} ${p}`),
    schemaRoots: SCHEMA_ROOTS,
    exampleRoots: EXAMPLE_ROOTS,
    cut: [
      'every other path and operation, and every schema, response, parameter and example they alone reference',
      `JobModel: oneOf and discriminator.mapping reduced to ${Object.entries(KEPT_JOB_TYPES).map(([k, n]) => `${k} → ${n}`).join(', ')}; the other job types are gone`,
      `GET /api/v1/jobs/{id}: response examples other than ${KEPT_JOB_EXAMPLES.join(', ')}`,
      'servers, security, tags and components.securitySchemes',
    ],
  },
  paths,
  components: { schemas: sorted(components.schemas), responses: sorted(components.responses), parameters: sorted(components.parameters), examples: sorted(components.examples) },
};
writeFileSync(output, `${JSON.stringify(subset, null, 2)}\n`);
console.log(`${output}: ${OPERATIONS.length} operations, ${Object.keys(components.schemas).length} schemas, ${Object.keys(components.examples).length} examples (from ${revision}, blob ${blob})`);
