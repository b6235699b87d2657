import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { createDevSigner, DevSignerRefused, resolveAuthOptions, type DevSigner } from '../../auth/index.js';

/** Path of the development sign-in (POST, JSON). */
export const DEV_SIGN_IN_PATH = '/console/dev-sign-in';

/** Lifetime of a console development token: a working day. */
const TTL_SECONDS = 8 * 3600;

const printable = /^[\x21-\x7e\u00a0-\uffff][\x20-\x7e\u00a0-\uffff]*$/;
const identity = z.object({
  subject: z.string().trim().min(1, 'subject is required').max(200).regex(printable, 'subject must be printable text'),
  groups: z.array(z.string().trim().min(1).max(200).regex(printable, 'each group must be printable text')).max(50).default([]),
});

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

export interface DevSignIn {
  /** Null when the development signer is refused here (production, or a JWKS setup); the reason is in `refusal`. */
  available: boolean;
  refusal?: string;
  handle(request: Request): Promise<Response>;
}

/**
 * `POST /console/dev-sign-in` with `{ "subject": "…", "groups": [ … ] }`: a
 * token from the development signer for any identity, so the console can sign
 * in as a demo account or as whoever a test needs. The signer itself refuses
 * production and a JWKS setup; so does this endpoint, with the signer's reason.
 * Only JSON is accepted: a cross-site form cannot send it without a preflight.
 */
export function createDevSignIn(config: Config): DevSignIn {
  let signer: DevSigner | undefined;
  let refusal: string | undefined;
  try {
    signer = createDevSigner({ mode: config.mode, auth: resolveAuthOptions(config), ttlSeconds: TTL_SECONDS });
  } catch (error) {
    if (!(error instanceof DevSignerRefused)) throw error;
    refusal = error.message;
  }
  return {
    available: signer !== undefined,
    refusal,
    async handle(request) {
      if (signer === undefined) return answer(403, { error: refusal });
      if (request.method !== 'POST') return answer(405, { error: 'Use POST with a JSON body' });
      if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
        return answer(415, { error: 'The body must be JSON (content-type: application/json)' });
      }
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return answer(400, { error: 'The body is not valid JSON' });
      }
      const parsed = identity.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return answer(400, { error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
      }
      const token = await signer.sign({ subject: parsed.data.subject, groups: [...new Set(parsed.data.groups)] });
      return answer(200, { token, expiresAt: new Date(Date.now() + TTL_SECONDS * 1000).toISOString() });
    },
  };
}
