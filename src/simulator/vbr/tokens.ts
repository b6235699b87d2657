import { randomBytes } from 'node:crypto';

export type VbrRole = 'BackupAdministrator' | 'RestoreOperator';

export interface VbrGrant {
  userName: string;
  role: VbrRole;
}

interface AccessToken extends VbrGrant {
  expiresAt: number;
  refreshToken: string;
}

interface RefreshToken extends VbrGrant {
  expiresAt: number;
  used: boolean;
}

/** Refresh tokens last 14 days (VBR's documented default). */
export const REFRESH_LIFETIME_MS = 14 * 24 * 3_600_000;

export type RefreshOutcome = { ok: true; grant: VbrGrant } | { ok: false; errorCode: 'InvalidToken' | 'ExpiredToken' };

/**
 * OAuth2 tokens of one VBR face: access tokens expire after a lifetime,
 * refresh tokens work once, logout revokes the pair.
 */
export class VbrTokenStore {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  /** The next refresh grant answers as if its token had been used already (a client racing itself). */
  private spendNextRefresh = false;

  constructor(
    public lifetimeSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(grant: VbrGrant): { accessToken: string; refreshToken: string; issuedAt: number; expiresAt: number; expiresIn: number } {
    const issuedAt = this.now();
    const expiresAt = issuedAt + this.lifetimeSeconds * 1000;
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.access.set(accessToken, { ...grant, expiresAt, refreshToken });
    this.refresh.set(refreshToken, { ...grant, expiresAt: issuedAt + REFRESH_LIFETIME_MS, used: false });
    return { accessToken, refreshToken, issuedAt, expiresAt, expiresIn: this.lifetimeSeconds };
  }

  /** The grant of a live access token. */
  check(accessToken: string): VbrGrant | undefined {
    const t = this.access.get(accessToken);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) {
      this.access.delete(accessToken);
      return undefined;
    }
    return { userName: t.userName, role: t.role };
  }

  /** Spends a refresh token: valid once, before its expiry. */
  redeem(refreshToken: string): RefreshOutcome {
    const t = this.refresh.get(refreshToken);
    if (!t) return { ok: false, errorCode: 'InvalidToken' };
    if (this.spendNextRefresh) {
      this.spendNextRefresh = false;
      t.used = true;
    }
    if (t.used) return { ok: false, errorCode: 'InvalidToken' };
    t.used = true;
    if (t.expiresAt <= this.now()) return { ok: false, errorCode: 'ExpiredToken' };
    return { ok: true, grant: { userName: t.userName, role: t.role } };
  }

  /** Logout: the access token and its refresh token stop working. */
  revoke(accessToken: string): void {
    const t = this.access.get(accessToken);
    if (!t) return;
    this.access.delete(accessToken);
    this.refresh.delete(t.refreshToken);
  }

  /** Every access token expires now (refresh tokens keep working). Returns how many were live. */
  expireAll(): number {
    const n = this.liveCount();
    this.access.clear();
    return n;
  }

  failNextRefresh(): void {
    this.spendNextRefresh = true;
  }

  liveCount(): number {
    const now = this.now();
    let n = 0;
    for (const t of this.access.values()) if (t.expiresAt > now) n++;
    return n;
  }
}
