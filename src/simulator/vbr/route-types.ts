import type { IncomingMessage } from 'node:http';
import type { SimulatorCore } from '../core.js';
import type { RequestClass } from '../faults.js';
import type { VbrFace } from './face.js';
import { VbrApiError } from './models.js';
import type { VbrRevision } from './revisions.js';
import type { VbrGrant, VbrRole } from './tokens.js';

export interface VbrContext {
  core: SimulatorCore;
  face: VbrFace;
  req: IncomingMessage;
  url: URL;
  params: string[];
  revision: VbrRevision;
  /** Set on routes that need a bearer token. */
  grant: VbrGrant;
  /** Parsed body: form fields for the token call, JSON otherwise. */
  body: unknown;
}

export interface VbrReply {
  status: number;
  body?: unknown;
  /** After the work is done: answer, never answer, or destroy the socket (the lifecycle POSTs' lost answers). */
  control?: 'normal' | 'hang' | 'drop';
}

export interface VbrRoute {
  method: 'GET' | 'POST';
  /** Anchored, case-insensitive, against the path after /vbr/<server>. */
  pattern: RegExp;
  /** Counter key. */
  name: string;
  requestClass: RequestClass;
  /** First revision that has the endpoint (older ones answer 404 NotFound). */
  since: VbrRevision;
  /** Roles allowed (undefined: no bearer token needed). */
  roles?: readonly VbrRole[];
  /** Form-encoded body instead of JSON. */
  form?: boolean;
  handler(ctx: VbrContext): VbrReply;
}

export const ADMIN: readonly VbrRole[] = ['BackupAdministrator'];
/** Both built-in roles the faces have: Backup Administrator and Restore Operator. */
export const ANY: readonly VbrRole[] = ['BackupAdministrator', 'RestoreOperator'];
/** A path segment. */
export const ID = '([^/?]+)';

export const ok = (body: unknown): VbrReply => ({ status: 200, body });
export const invalid = (message: string, resourceId?: string): VbrApiError => new VbrApiError(400, 'UnexpectedContent', message, resourceId);
export const notFound = (id: string): VbrApiError => new VbrApiError(404, 'NotFound', 'Resource does not exist', id);
