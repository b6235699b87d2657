import type { FailbackDestinationInput, FailbackInput, FailbackSwitchoverInput, InventoryObjectInput } from '../generated/graphql';
import { fromLocalInput } from './format';

/** Where the VM fails back to: the three destinations of `FailbackDestinationInput`. */
export type FailbackDestination = 'originalLocation' | 'originalVm' | 'customized';

/** When the failback switches to production: the three members of `FailbackSwitchoverInput`. */
export type FailbackSwitchover = 'automatic' | 'at' | 'manual';

/** The kinds of object a customized location's host may be (VBR's slot for it takes these). */
export const HOST_TYPES = ['Host', 'Cluster', 'ComputeResource'] as const;
export type HostType = (typeof HOST_TYPES)[number];

/** What the failback dialog holds; every text as typed. */
export interface FailbackForm {
  destination: FailbackDestination;
  /** Original location: sync only changed blocks (vSphere before 7.0). */
  quickRollback: boolean;
  /** The vCenter Server (or standalone host) the objects below belong to. */
  vcenter: string;
  /** Original VM restored elsewhere: the VM's name and managed object reference. */
  vmName: string;
  vmObjectId: string;
  /** Customized: the host or cluster, and optionally a resource pool and a folder. */
  hostName: string;
  hostType: HostType;
  hostObjectId: string;
  resourcePoolName: string;
  resourcePoolObjectId: string;
  folderName: string;
  folderObjectId: string;
  restoreVmTags: boolean;
  switchover: FailbackSwitchover;
  /** A datetime-local value, in the browser's time zone. */
  switchAt: string;
  powerOn: boolean;
}

export const EMPTY_FAILBACK_FORM: FailbackForm = {
  destination: 'originalLocation',
  quickRollback: false,
  vcenter: '',
  vmName: '',
  vmObjectId: '',
  hostName: '',
  hostType: 'Host',
  hostObjectId: '',
  resourcePoolName: '',
  resourcePoolObjectId: '',
  folderName: '',
  folderObjectId: '',
  restoreVmTags: false,
  switchover: 'manual',
  switchAt: '',
  powerOn: true,
};

/** A field the person must correct, named as the dialog labels it. */
export interface FailbackProblem {
  field: keyof FailbackForm;
  message: string;
}

const object = (hostName: string, name: string, type: string, objectId: string): InventoryObjectInput => ({
  hostName: hostName.trim(),
  name: name.trim(),
  type,
  ...(objectId.trim() ? { objectId: objectId.trim() } : {}),
});

function destination(form: FailbackForm): FailbackDestinationInput | FailbackProblem {
  switch (form.destination) {
    case 'originalLocation':
      return { originalLocation: { quickRollback: form.quickRollback } };
    case 'originalVm':
      if (!form.vcenter.trim()) return { field: 'vcenter', message: 'Name the vCenter Server the restored VM belongs to.' };
      if (!form.vmName.trim()) return { field: 'vmName', message: 'Name the original VM, as restored.' };
      if (!form.vmObjectId.trim()) return { field: 'vmObjectId', message: 'Give the VM’s managed object reference (e.g. vm-2042).' };
      return { originalVm: { vm: object(form.vcenter, form.vmName, 'VirtualMachine', form.vmObjectId) } };
    case 'customized': {
      if (!form.vcenter.trim()) return { field: 'vcenter', message: 'Name the vCenter Server (or standalone host) of the new location.' };
      if (!form.hostName.trim()) return { field: 'hostName', message: 'Name the host or cluster the VM is registered on.' };
      const pool = form.resourcePoolName.trim() ? { resourcePool: object(form.vcenter, form.resourcePoolName, 'ResourcePool', form.resourcePoolObjectId) } : {};
      const folder = form.folderName.trim() ? { folder: object(form.vcenter, form.folderName, 'Folder', form.folderObjectId) } : {};
      return {
        customized: { host: object(form.vcenter, form.hostName, form.hostType, form.hostObjectId), ...pool, ...folder, restoreVmTags: form.restoreVmTags },
      };
    }
  }
}

function switchover(form: FailbackForm, now: number): FailbackSwitchoverInput | FailbackProblem {
  switch (form.switchover) {
    case 'automatic':
      return { automatic: true };
    case 'manual':
      return { manual: true };
    case 'at': {
      const at = fromLocalInput(form.switchAt);
      if (at === undefined) return { field: 'switchAt', message: 'Give the date and time of the switch.' };
      if (at <= now) return { field: 'switchAt', message: 'The switch must be in the future.' };
      return { at: new Date(at).toISOString() };
    }
  }
}

const isProblem = (value: object): value is FailbackProblem => 'field' in value && 'message' in value;

/**
 * The `failback` mutation's input for what the dialog holds, or the first
 * field to correct. Checks only what the page can know; the gateway checks
 * the rest (objects the backup server knows, the slot each may fill) and says
 * which field it refused.
 */
export function failbackInput(
  replicaId: string,
  form: FailbackForm,
  options: { reason: string; dryRun: boolean; now: number },
): { input: FailbackInput } | { problem: FailbackProblem } {
  const where = destination(form);
  if (isProblem(where)) return { problem: where };
  const when = switchover(form, options.now);
  if (isProblem(when)) return { problem: when };
  const reason = options.reason.trim();
  return {
    input: { replicaId, destination: where, switchover: when, powerOnTargetVm: form.powerOn, reason: reason === '' ? null : reason, dryRun: options.dryRun },
  };
}
