import type { Session } from './session';

/** Signs in through the gateway's development signer (refused by a production gateway). */
export async function devSignIn(path: string, subject: string, groups: string[]): Promise<Session> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ subject, groups }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; expiresAt?: string; error?: string };
  if (!response.ok || !body.token || !body.expiresAt) {
    throw new Error(body.error ?? `Sign-in failed (HTTP ${response.status})`);
  }
  return { token: body.token, expiresAt: new Date(body.expiresAt).getTime(), method: 'development' };
}
