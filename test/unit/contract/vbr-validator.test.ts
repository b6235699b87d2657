import { describe, expect, it } from 'vitest';
import { documentedStatuses, validateRequestBody, validateResponse, validateSchema, vbrSubset } from '../../contract/vbr-validator.js';

const example = (name: string): Record<string, unknown> => structuredClone(vbrSubset.components.examples[name]!.value) as Record<string, unknown>;

/** Veeam's examples write inventory objects' platform as `VMware` and absent values as null; the schemas say `VSphere` and have no `nullable`. */
function repaired<T>(value: T): T {
  if (Array.isArray(value)) return value.map(repaired) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, k === 'platform' && v === 'VMware' ? 'VSphere' : repaired(v)]),
  ) as T;
}

describe('VBR OpenAPI subset validator', () => {
  it('names where the subset came from', () => {
    expect(vbrSubset['x-subset' as keyof typeof vbrSubset]).toMatchObject({ source: { repository: 'Cenvora/veeam-br', revision: '1.3-rev1', gitBlob: '1003646bf18a1e2e8041f0a811095fa3c046d189' } });
    expect(documentedStatuses('get', '/api/v1/license')).toEqual([200, 401, 403, 500]);
  });

  describe("Veeam's own examples", () => {
    it.each([
      ['post', '/api/oauth2/token', 'TokenModelExample'],
      ['get', '/api/v1/serverInfo', 'ServerInfoModelExample'],
      ['get', '/api/v1/license', 'InstalledLicenseModelExample'],
      ['get', '/api/v1/replicaPoints', 'ReplicaPointsResultExample'],
      ['get', '/api/v1/replicas/{id}/replicaPoints', 'ReplicaPointsResultExample'],
    ])('%s %s: %s passes', (method, path, name) => {
      expect(validateResponse(method, path, 200, example(name))).toEqual({ valid: true, errors: [] });
    });

    it('ReplicaPointModelExample passes as a ReplicaPointModel', () => {
      expect(validateSchema('ReplicaPointModel', example('ReplicaPointModelExample'))).toEqual({ valid: true, errors: [] });
    });

    it('ServersInventoryBrowserResultExample contradicts its schema only by platform "VMware" and nulls', () => {
      const result = validateResponse('post', '/api/v1/inventory', 200, example('ServersInventoryBrowserResultExample'));
      expect(result.valid).toBe(false);
      expect(new Set(result.errors)).toEqual(
        new Set([
          '/data/0/platform must be equal to one of the allowed values (VSphere, HyperV, CloudDirector, Agent)',
          '/data/0/platform must be equal to one of the allowed values (VSphere, CloudDirector, HyperV, Agent)',
          '/data/1/objectId must be string',
          '/hierarchyType must be string',
        ]),
      );
      expect(validateResponse('post', '/api/v1/inventory', 200, repaired(example('ServersInventoryBrowserResultExample')))).toEqual({ valid: true, errors: [] });
    });

    it("vSphereReplicaJobModelExample's includes (what the gateway reads) contradict InventoryObjectModel only by platform and nulls", () => {
      const job = example('vSphereReplicaJobModelExample');
      expect(validateResponse('get', '/api/v1/jobs/{id}', 200, job).valid).toBe(false);
      const includes = (job['virtualMachines'] as { includes: unknown[] }).includes;
      expect(includes.length).toBeGreaterThan(0);
      for (const include of includes) {
        expect(validateSchema('InventoryObjectModel', include).valid).toBe(false);
        expect(validateSchema('InventoryObjectModel', repaired(include))).toEqual({ valid: true, errors: [] });
      }
    });

    it.each(['ServersInventoryBrowserFiltersExample', 'SmallVmsInventoryBrowserFiltersExample', 'OrgVmsInventoryBrowserFiltersExample', 'NetworksInventoryBrowserFiltersExample'])(
      '%s writes enum values in lower case (and a limit as a string) where the schema does not',
      (name) => {
        const result = validateRequestBody('post', '/api/v1/inventory/{hostname}', example(name));
        expect(result.valid).toBe(false);
        for (const e of result.errors) expect(e).toMatch(/(operation|direction) must be equal to one of the allowed values|^\/pagination\/limit must be integer$/);
      },
    );
  });

  describe('broken copies fail', () => {
    it('a license without its edition, or with an edition VBR does not have', () => {
      const { edition: _, ...noEdition } = example('InstalledLicenseModelExample');
      expect(validateResponse('get', '/api/v1/license', 200, noEdition)).toEqual({ valid: false, errors: ["/ must have required property 'edition'"] });
      expect(validateSchema('InstalledLicenseModel', { ...example('InstalledLicenseModelExample'), edition: 'Gold' })).toEqual({
        valid: false,
        errors: ['/edition must be equal to one of the allowed values (Community, Enterprise, EnterprisePlus, Standard, Unspecified)'],
      });
    });

    it('a replica point without allowedOperations, or in a state EReplicaState lacks', () => {
      const page = example('ReplicaPointsResultExample') as { data: Record<string, unknown>[] };
      delete page.data[0]!['allowedOperations'];
      page.data[0]!['state'] = 'Incomplete';
      expect(validateResponse('get', '/api/v1/replicaPoints', 200, page).errors).toEqual([
        "/data/0 must have required property 'allowedOperations'",
        '/data/0/state must be equal to one of the allowed values (Ready, Processing, SureBackup, Failover, FailedFailover, PermanentFailover, Failback, ReadyToSwitch)',
      ]);
    });

    it('a replica is dispatched on its type: Regular needs creationTime and state, an unmapped type fails', () => {
      const replica = { id: '0a2d4c6e-1111-4222-8333-444455556666', type: 'Regular', jobId: '0a2d4c6e-1111-4222-8333-444455556667', name: 'SQL replication', platformName: 'VMware' };
      expect(validateSchema('ReplicaModel', { ...replica, creationTime: '2025-05-31T22:00:00Z', state: 'Ready' })).toEqual({ valid: true, errors: [] });
      expect(validateSchema('ReplicaModel', replica).errors).toEqual(["/ must have required property 'creationTime'", "/ must have required property 'state'"]);
      expect(validateSchema('ReplicaModel', { ...replica, type: 'CDP' }).errors).toEqual(['/type must be equal to one of the allowed values (Regular)']);
      expect(validateSchema('ReplicaModel', { ...replica, id: 'not-a-guid', creationTime: '2025-05-31T22:00:00Z', state: 'Ready' }).errors).toEqual(['/id must match format "uuid"']);
    });

    it('inventory objects are checked against their platform’s schema', () => {
      const vm = { platform: 'VSphere', hostName: 'vcsa.example.test', name: 'app01', type: 'VirtualMachine', objectId: 'vm-12', urn: 'vc:vcsa.example.test;vm:vm-12' };
      expect(validateSchema('InventoryObjectModel', vm)).toEqual({ valid: true, errors: [] });
      const { hostName: _, ...noHost } = vm;
      expect(validateSchema('InventoryObjectModel', noHost).errors).toEqual(["/ must have required property 'hostName'"]);
      expect(validateSchema('InventoryObjectModel', { ...vm, platform: 'CloudDirector', type: 'Datacenter' }).errors).toEqual([
        '/type must be equal to one of the allowed values (Unknown, VirtualMachine, CloudDirectorServer, Organization, OrganizationVDC, vApp, StoragePolicy, Network, vCenter, VmTemplate, Datastore)',
      ]);
    });
  });

  describe('statuses and bodies', () => {
    it('refuses a status the operation does not document', () => {
      expect(validateResponse('get', '/api/v1/license', 404, { errorCode: 'NotFound', message: 'x' }).valid).toBe(false);
    });

    it('checks error bodies against Error, an empty one included', () => {
      expect(validateResponse('get', '/api/v1/replicas', 401, { errorCode: 'AccessDenied', message: 'Unauthorized.' })).toEqual({ valid: true, errors: [] });
      expect(validateResponse('get', '/api/v1/replicas', 401, { errorCode: 'Expired', message: 'Unauthorized.' }).valid).toBe(false);
      expect(validateResponse('get', '/api/v1/replicas', 401, undefined)).toEqual({ valid: false, errors: ['status 401 has an empty body; the document describes Error'] });
    });

    it('accepts the filter the gateway sends, and rejects an unknown predicate operation', () => {
      const filter = {
        pagination: { skip: 0, limit: 500 },
        hierarchyType: 'HostsAndClusters',
        filter: { type: 'GroupExpression', operation: 'And', items: [{ type: 'PredicateExpression', property: 'urn', operation: 'Contains', value: 'hostsystem:host-8;' }] },
      };
      expect(validateRequestBody('post', '/api/v1/inventory/{hostname}', filter)).toEqual({ valid: true, errors: [] });
      const bad = structuredClone(filter);
      bad.filter.items[0]!.operation = 'Like';
      expect(validateRequestBody('post', '/api/v1/inventory/{hostname}', bad).valid).toBe(false);
    });

    it('throws on a schema or operation outside the subset', () => {
      expect(() => validateSchema('BackupJobModel', {})).toThrow(/not in the VBR subset/);
      expect(() => validateResponse('get', '/api/v1/backups', 200, {})).toThrow(/not in the VBR subset/);
    });
  });
});
