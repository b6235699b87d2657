import { randomUUID } from 'node:crypto';

export type EmRole = 'PortalAdministrator' | 'PortalUser' | 'RestoreOperator';

export interface LogonSessionRecord {
  id: string;
  userName: string;
  role: EmRole;
  createdAt: number;
  lastSeenAt: number;
}

/** EM logon sessions: created by POST /sessionMngr, dropped after an idle timeout or DELETE. */
export class SessionStore {
  private readonly sessions = new Map<string, LogonSessionRecord>();

  constructor(
    public idleTimeoutMs: number,
    private readonly now: () => number,
  ) {}

  create(userName: string, role: EmRole): LogonSessionRecord {
    const t = this.now();
    const record = { id: randomUUID(), userName, role, createdAt: t, lastSeenAt: t };
    this.sessions.set(record.id, record);
    return record;
  }

  /** The live session with this id, its idle clock restarted; undefined if unknown or expired. */
  touch(id: string): LogonSessionRecord | undefined {
    const record = this.sessions.get(id);
    if (!record) return undefined;
    const t = this.now();
    if (t - record.lastSeenAt > this.idleTimeoutMs) {
      this.sessions.delete(id);
      return undefined;
    }
    record.lastSeenAt = t;
    return record;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  /** Forced expiry: every existing session gets 401 on its next request. */
  expireAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  list(): LogonSessionRecord[] {
    return [...this.sessions.values()].map((s) => ({ ...s }));
  }
}
