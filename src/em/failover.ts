import { EmOutcomeUnknownError, EmRejectedError } from './errors.js';
import type { EmSession } from './session.js';
import type { CdpFailoverTarget, EmClientOptions, EmTask } from './types.js';
import { parseTask, type Json } from './wire.js';

type PointInTimeField = NonNullable<EmClientOptions['pointInTimeField']>;

/** EM's CdpFailoverStartSpec with exactly one target set, so EM's undocumented precedence never matters. */
export function cdpFailoverSpec(target: CdpFailoverTarget, pointInTimeField: PointInTimeField): Json {
  const spec: Json = { RestoreCurrent: target.kind === 'latestCrashConsistent', RestoreCurrentVss: target.kind === 'latestApplicationConsistent' };
  if (target.kind === 'pointInTime') spec[pointInTimeField] = target.at.toISOString();
  if (target.kind === 'interval') spec['RestoreAtInterval'] = target.at.toISOString();
  return spec;
}

const SPEC_NOT_UNDERSTOOD = /no restore target|unknown (element|field|property)|unrecognized|unexpected (element|field|property)/i;

const otherSpelling = (f: PointInTimeField): PointInTimeField => (f === 'RestoreAtPointInTime' ? 'RestoreAtPointinTime' : 'RestoreAtPointInTime');

/** The four failover POSTs. None is retried on a lost answer: the session turns that into EmOutcomeUnknownError. */
export class Failovers {
  constructor(
    private readonly session: EmSession,
    private pointInTimeField: PointInTimeField,
  ) {}

  vmReplicaPoint(pointId: string): Promise<EmTask> {
    return this.post(`/vmReplicaPoints/${encodeURIComponent(pointId)}?action=failover`);
  }

  vAppReplicaPoint(pointId: string): Promise<EmTask> {
    return this.post(`/vAppReplicaPoints/${encodeURIComponent(pointId)}?action=failover`);
  }

  cdpVm(cdpReplicaId: string, vmId: string, target: CdpFailoverTarget): Promise<EmTask> {
    return this.cdp(`/cdpReplicas/${encodeURIComponent(cdpReplicaId)}/vms/${encodeURIComponent(vmId)}?action=failover`, target);
  }

  cdpVApp(vAppId: string, target: CdpFailoverTarget): Promise<EmTask> {
    // Singular cdpReplica, as EM's resource page spells it.
    return this.cdp(`/cdpReplica/vApps/${encodeURIComponent(vAppId)}?action=failover`, target);
  }

  private async cdp(path: string, target: CdpFailoverTarget): Promise<EmTask> {
    try {
      return await this.post(path, cdpFailoverSpec(target, this.pointInTimeField));
    } catch (e) {
      // EM's docs spell the field two ways. A 400 that says the spec named no target (so the date field was not
      // recognised) means nothing started: one resend with the other spelling is safe.
      if (target.kind !== 'pointInTime' || !(e instanceof EmRejectedError) || e.status !== 400 || !SPEC_NOT_UNDERSTOOD.test(e.emMessage ?? '')) throw e;
      const alternative = otherSpelling(this.pointInTimeField);
      const task = await this.post(path, cdpFailoverSpec(target, alternative));
      this.pointInTimeField = alternative;
      return task;
    }
  }

  private async post(path: string, body?: Json): Promise<EmTask> {
    const res = await this.session.call({ method: 'POST', path, body, kind: 'failover' });
    if (res.body !== undefined && typeof res.body === 'object') return parseTask(res.body as Json);
    // No Task body: follow Location, a read (safe to retry) now that the failover was accepted. Whatever goes
    // wrong from here, EM did accept it: the caller must reconcile, never take it for "not started".
    const location = res.headers.get('Location');
    if (!location) throw new EmOutcomeUnknownError(`EM accepted ${path} (${res.status}) but returned neither a Task nor a Location`, { method: 'POST', status: res.status });
    try {
      const task = await this.session.call({ method: 'GET', path: location, kind: 'read' });
      return parseTask(task.body as Json);
    } catch (error) {
      throw new EmOutcomeUnknownError(`EM accepted ${path} but its task at ${location} could not be read: ${(error as Error).message}`, { method: 'GET', url: location, cause: error });
    }
  }
}
