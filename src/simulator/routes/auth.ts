import { ApiError, ok, type Route } from '../core.js';
import { link } from '../representation.js';

const REALM = { 'WWW-Authenticate': 'Basic Realm=RestSvc' };

export const authRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/?$/,
    name: 'GET /',
    requestClass: 'read',
    auth: false,
    handler: ({ base }) =>
      ok({
        Type: 'EnterpriseManager',
        Href: `${base}/`,
        Links: [link('Create', `${base}/sessionMngr/?v=latest`, 'LogonSession')],
        SupportedVersions: [{ Name: 'v1_7', Links: [link('Create', `${base}/sessionMngr/?v=v1_7`, 'LogonSession')] }],
      }),
  },
  {
    method: 'POST',
    pattern: /^\/sessionMngr\/?$/i,
    name: 'POST /sessionMngr',
    requestClass: 'logon',
    auth: false,
    handler: ({ core, req, url, base }) => {
      const v = url.searchParams.get('v');
      if (v !== null && v !== 'latest' && v !== 'v1_7') throw new ApiError(400, `API version '${v}' is not supported; use latest or v1_7`);
      const account = core.authenticate(req.headers.authorization);
      if (!account) throw new ApiError(401, 'The user name or password is incorrect', REALM);
      const s = core.sessions.create(account.userName, account.role);
      const href = `${base}/logonSessions/${s.id}`;
      return {
        status: 201,
        headers: { 'X-RestSvcSessionId': s.id, 'Set-Cookie': `X-RestSvcSessionId=${s.id}; Path=/api; HttpOnly`, Location: href },
        body: {
          Type: 'LogonSession',
          Href: href,
          UserName: s.userName,
          SessionId: s.id,
          Links: [link('Delete', href, 'LogonSession'), link('Down', `${base}/backupServers`, 'BackupServerReferenceList'), link('Down', `${base}/query`, 'QueryService')],
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/logonSessions\/([^/]+)$/i,
    name: 'GET /logonSessions/{id}',
    requestClass: 'read',
    handler: ({ params, session, base }) => {
      if (params[0]!.toLowerCase() !== session.id) throw new ApiError(404, `Logon session '${params[0]}' was not found`);
      return ok({ Type: 'LogonSession', Href: `${base}/logonSessions/${session.id}`, UserName: session.userName, SessionId: session.id });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/logonSessions\/([^/]+)$/i,
    name: 'DELETE /logonSessions/{id}',
    requestClass: 'other',
    handler: ({ core, params, session }) => {
      // A session may only log itself off.
      if (params[0]!.toLowerCase() !== session.id) throw new ApiError(404, `Logon session '${params[0]}' was not found`);
      core.sessions.delete(session.id);
      return { status: 204 };
    },
  },
];
