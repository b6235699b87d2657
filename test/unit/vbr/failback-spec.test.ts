import { describe, expect, it } from 'vitest';
import { buildFailbackSpec, VbrFailbackSpecError, VbrRejectedError, type VbrFailbackRequest, type VbrInventoryObjectRef } from '../../../src/vbr/index.js';
import { validateRequestBody } from '../../contract/vbr-validator.js';

const FAILBACK = '/api/v1/failback/failbackToProduction/vSphere/snapshot';
const NOW = new Date('2025-06-01T10:00:00Z');
const P1 = '58d8ce8c-2e04-47c7-8f11-a17875b1eed3';
const P2 = '58d8ce8c-2e04-47c7-8f11-a17875b1eed4';

const VC = 'vcsa.prod.example.test';
const obj = (type: string, name: string, objectId?: string): VbrInventoryObjectRef => ({ hostName: VC, name, type, ...(objectId ? { objectId } : {}) });
const wire = (ref: VbrInventoryObjectRef) => ({ platform: 'VSphere', ...ref });
const host = obj('Host', 'esxi01.prod', 'host-12');
const cluster = obj('Cluster', 'prod-cluster', 'domain-c7');
const pool = obj('ResourcePool', 'restored', 'resgroup-40');
const folder = obj('Folder', 'Restored VMs', 'group-v55');
const datastore = obj('Datastore', 'ds-prod-01', 'datastore-31');
const drNet = obj('DVSNetwork', 'dr-vlan-20', 'dvportgroup-90');
const prodNet = obj('Network', 'VM Network', 'network-11');
const vm = obj('VirtualMachine', 'fileserver01', 'vm-2042');

const request = (over: Partial<VbrFailbackRequest> = {}): VbrFailbackRequest => ({
  pointIds: [P1],
  destination: { type: 'originalLocation' },
  switchover: { type: 'auto' },
  powerOnTargetVm: true,
  ...over,
});

function refusal(make: () => unknown): VbrFailbackSpecError {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(VbrFailbackSpecError);
    return e as VbrFailbackSpecError;
  }
  throw new Error('expected a VbrFailbackSpecError');
}

describe('failback spec builder', () => {
  it('original location: the published example, plus quick rollback and the failback mode', () => {
    const spec = buildFailbackSpec(request({ destination: { type: 'originalLocation', quickRollback: true } }), NOW);
    expect(spec).toEqual({ type: 'OriginalLocation', replicaPointIds: [P1], powerOnTargetVM: true, failbackMode: { type: 'Auto' }, quickRollback: true });
    expect(validateRequestBody('post', FAILBACK, spec)).toEqual({ valid: true, errors: [] });
    expect(buildFailbackSpec(request({ switchover: { type: 'manual' }, powerOnTargetVm: false }), NOW)).toEqual({
      type: 'OriginalLocation',
      replicaPointIds: [P1],
      powerOnTargetVM: false,
      failbackMode: { type: 'Manual' },
    });
  });

  it('original VM restored elsewhere: one targetVM entry naming the point (as the OriginalVM example)', () => {
    const spec = buildFailbackSpec(request({ destination: { type: 'originalVm', destinationVm: vm } }), NOW);
    expect(spec).toEqual({
      type: 'OriginalVM',
      replicaPointIds: [P1],
      powerOnTargetVM: true,
      failbackMode: { type: 'Auto' },
      targetVM: [{ replicaPointId: P1, destinationVM: { platform: 'VSphere', name: 'fileserver01', type: 'VirtualMachine', hostName: VC, objectId: 'vm-2042' } }],
    });
    expect(validateRequestBody('post', FAILBACK, spec)).toEqual({ valid: true, errors: [] });
    expect(refusal(() => buildFailbackSpec(request({ pointIds: [P1, P2], destination: { type: 'originalVm', destinationVm: vm } }), NOW)).field).toBe('pointIds');
    expect(refusal(() => buildFailbackSpec(request({ destination: { type: 'originalVm', destinationVm: host } }), NOW)).field).toBe('destination.destinationVm.type');
  });

  it('customized: per-point arrays under their documented names (destinationhost with a lower-case h)', () => {
    const at = new Date('2025-06-01T22:30:00Z');
    const spec = buildFailbackSpec(
      request({
        pointIds: [P1, P2],
        switchover: { type: 'scheduled', at },
        powerOnTargetVm: false,
        destination: {
          type: 'customized',
          host: cluster,
          resourcePool: pool,
          folder,
          restoreVmTags: false,
          network: [{ source: drNet, target: prodNet }],
          datastore: [{ vm, disks: [{ diskName: 'Hard disk 1', datastore, diskType: 'Thin' }, { diskName: 'Hard disk 2', datastore }] }],
        },
      }),
      NOW,
    );
    expect(spec).toEqual({
      type: 'Customized',
      replicaPointIds: [P1, P2],
      powerOnTargetVM: false,
      failbackMode: { type: 'Scheduled', scheduledTime: '2025-06-01T22:30:00.000Z' },
      destinationhost: [
        { replicaPointId: P1, host: wire(cluster) },
        { replicaPointId: P2, host: wire(cluster) },
      ],
      resourcePool: [
        { replicaPointId: P1, resourcePool: wire(pool) },
        { replicaPointId: P2, resourcePool: wire(pool) },
      ],
      folder: {
        restoreVMTags: false,
        folderMapping: [
          { replicaPointId: P1, folder: wire(folder) },
          { replicaPointId: P2, folder: wire(folder) },
        ],
      },
      network: [
        { replicaPointId: P1, networks: [{ sourceNetwork: wire(drNet), targetNetwork: wire(prodNet) }] },
        { replicaPointId: P2, networks: [{ sourceNetwork: wire(drNet), targetNetwork: wire(prodNet) }] },
      ],
      datastore: [
        {
          vmObject: wire(vm),
          disks: [
            { diskName: 'Hard disk 1', datastore: wire(datastore), diskType: 'Thin' },
            { diskName: 'Hard disk 2', datastore: wire(datastore) },
          ],
        },
      ],
    });
    expect(spec).not.toHaveProperty('destinationHost');
    expect(validateRequestBody('post', FAILBACK, spec)).toEqual({ valid: true, errors: [] });
    // The contract check itself bites: a host missing its vSphere fields, a mode VBR lacks.
    const { hostName: _, ...noHostName } = wire(cluster);
    expect(validateRequestBody('post', FAILBACK, { ...spec, destinationhost: [{ replicaPointId: P1, host: noHostName }] }).valid).toBe(false);
    expect(validateRequestBody('post', FAILBACK, { ...spec, failbackMode: { type: 'Later' } }).valid).toBe(false);
  });

  it('customized: the host alone is enough, and a standalone host needs no objectId', () => {
    const standalone = obj('Host', 'esxi-standalone.prod');
    const spec = buildFailbackSpec(request({ destination: { type: 'customized', host: standalone } }), NOW);
    expect(spec).toEqual({ type: 'Customized', replicaPointIds: [P1], powerOnTargetVM: true, failbackMode: { type: 'Auto' }, destinationhost: [{ replicaPointId: P1, host: wire(standalone) }] });
    expect(validateRequestBody('post', FAILBACK, spec)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['no host', { type: 'customized' }, 'destination.host'],
    ['a datastore as the host', { type: 'customized', host: datastore }, 'destination.host.type'],
    ['a host without hostName', { type: 'customized', host: { ...host, hostName: '' } }, 'destination.host.hostName'],
    ['a resource pool without objectId', { type: 'customized', host, resourcePool: obj('ResourcePool', 'rp') }, 'destination.resourcePool.objectId'],
    ['a folder that is a datastore', { type: 'customized', host, folder: datastore }, 'destination.folder.type'],
    ['a network rule without target', { type: 'customized', host, network: [{ source: drNet }] }, 'destination.network[0].target'],
    ['a disk without name', { type: 'customized', host, datastore: [{ vm, disks: [{ diskName: ' ', datastore }] }] }, 'destination.datastore[0].disks[0].diskName'],
    ['a disk type VBR lacks', { type: 'customized', host, datastore: [{ vm, disks: [{ diskName: 'Hard disk 1', datastore, diskType: 'Sparse' }] }] }, 'destination.datastore[0].disks[0].diskType'],
    ['a placement without disks', { type: 'customized', host, datastore: [{ vm, disks: [] }] }, 'destination.datastore[0].disks'],
    ['an unknown destination', { type: 'elsewhere' }, 'destination.type'],
  ])('customized location refused: %s', (_, destination, field) => {
    const e = refusal(() => buildFailbackSpec(request({ destination: destination as VbrFailbackRequest['destination'] }), NOW));
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });

  it('refuses a scheduled switchover in the past (or now), naming the field, as a rejected VbrError', () => {
    const past = refusal(() => buildFailbackSpec(request({ switchover: { type: 'scheduled', at: new Date('2025-06-01T09:59:59Z') } }), NOW));
    expect(past).toBeInstanceOf(VbrRejectedError);
    expect(past).toMatchObject({ kind: 'rejected', field: 'switchover.at', name: 'VbrFailbackSpecError' });
    expect(past.message).toBe('switchover.at: the switchover time 2025-06-01T09:59:59.000Z is in the past');
    expect(refusal(() => buildFailbackSpec(request({ switchover: { type: 'scheduled', at: NOW } }), NOW)).field).toBe('switchover.at');
    expect(refusal(() => buildFailbackSpec(request({ switchover: { type: 'scheduled', at: new Date('nonsense') } }), NOW)).message).toBe('switchover.at: must be a valid date and time');
    expect(buildFailbackSpec(request({ switchover: { type: 'scheduled', at: new Date(NOW.getTime() + 1) } }), NOW).failbackMode).toEqual({ type: 'Scheduled', scheduledTime: '2025-06-01T10:00:00.001Z' });
  });

  it.each([
    ['no point', { pointIds: [] }, 'pointIds'],
    ['an empty point id', { pointIds: [P1, ''] }, 'pointIds[1]'],
    ['a point twice', { pointIds: [P1, P1] }, 'pointIds'],
    ['powerOnTargetVm not a boolean', { powerOnTargetVm: 'yes' }, 'powerOnTargetVm'],
    ['an unknown switchover', { switchover: { type: 'later' } }, 'switchover.type'],
    ['quickRollback not a boolean', { destination: { type: 'originalLocation', quickRollback: 1 } }, 'destination.quickRollback'],
  ])('refuses %s', (_, over, field) => {
    expect(refusal(() => buildFailbackSpec(request(over as Partial<VbrFailbackRequest>), NOW)).field).toBe(field);
  });
});
