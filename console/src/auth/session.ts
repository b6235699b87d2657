/** A signed-in session: the bearer token every request carries, and how it was obtained. */
export interface Session {
  token: string;
  expiresAt: number;
  method: 'development' | 'oidc';
}

const KEY = 'failover-console.session';

/**
 * Kept in sessionStorage: one browser tab, gone when it closes, never sent by
 * the browser on its own (so no CSRF through it).
 */
export function readSession(now = Date.now()): Session | null {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return null;
  try {
    const session = JSON.parse(text) as Session;
    if (typeof session.token !== 'string' || typeof session.expiresAt !== 'number' || session.expiresAt <= now) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function writeSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
