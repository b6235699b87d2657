import type { RunningSimulator } from '../../../src/simulator/index.js';

export interface VbrAnswer {
  status: number;
  text: string;
  json: any;
}

/** One call to a VBR face over real HTTP. */
export async function vbr(
  sim: RunningSimulator,
  server: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; version?: string | null; json?: unknown; form?: Record<string, string> } = {},
): Promise<VbrAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.version !== null) headers['x-api-version'] = options.version ?? '1.3-rev1';
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const base = sim.vbrUrls[server] ?? `${sim.url.replace(/\/api$/, '')}/vbr/${server}`;
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, text, json: text === '' ? undefined : JSON.parse(text) };
}

export async function login(sim: RunningSimulator, server: string, user = 'vbr-admin', version?: string): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const a = await vbr(sim, server, 'POST', '/api/oauth2/token', { form: { grant_type: 'password', username: user, password: user }, ...(version ? { version } : {}) });
  if (a.status !== 200) throw new Error(`login failed: ${a.status} ${a.text}`);
  return a.json;
}

/** An EM logon session id, for raw EM calls. */
export async function emSession(sim: RunningSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/sessionMngr/?v=latest`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('em-admin:em-admin').toString('base64')}`, Accept: 'application/json' } });
  await res.text();
  return res.headers.get('x-restsvcsessionid')!;
}

export async function em(sim: RunningSimulator, session: string, method: 'GET' | 'POST', path: string): Promise<VbrAnswer> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: { 'X-RestSvcSessionId': session, Accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, text, json: text === '' ? undefined : JSON.parse(text) };
}
