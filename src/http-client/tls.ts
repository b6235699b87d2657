import { checkServerIdentity, type PeerCertificate } from 'node:tls';

/** Whom to trust over https, beyond the hostname check. */
export interface TlsTrust {
  /** PEM text of the CA (or of a self-signed certificate): it replaces the system roots. */
  ca?: string;
  /** SHA-256 fingerprint of the server certificate (hex, colons and case free). */
  fingerprint?: string;
}

/** The code of the error a pinned connection fails with. */
export const FINGERPRINT_MISMATCH = 'ERR_TLS_FINGERPRINT_MISMATCH';

/** `AB:cd…` or `abcd…` → `ABCD…`; throws on anything that is not 32 bytes of hex. */
export function normalizeFingerprint(text: string): string {
  const hex = text.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new TypeError(`fingerprint must be a SHA-256 certificate fingerprint (64 hex digits, colons optional), not '${text}'`);
  return hex;
}

/**
 * The tls.connect options that carry a trust: the CA, and a pin checked on the
 * peer certificate during the handshake of every new connection (Node calls
 * checkServerIdentity before the handshake completes and, with
 * rejectUnauthorized, destroys the socket before any request byte is written).
 */
export function tlsConnectOptions(trust: TlsTrust): { ca?: string; checkServerIdentity?: typeof checkServerIdentity } {
  const out: { ca?: string; checkServerIdentity?: typeof checkServerIdentity } = {};
  if (trust.ca !== undefined) out.ca = trust.ca;
  if (trust.fingerprint !== undefined) {
    const pinned = normalizeFingerprint(trust.fingerprint);
    out.checkServerIdentity = (host: string, cert: PeerCertificate) => {
      const wrongName = checkServerIdentity(host, cert);
      if (wrongName) return wrongName;
      const seen = cert.fingerprint256 ? cert.fingerprint256.replace(/:/g, '').toUpperCase() : '';
      if (seen === pinned) return undefined;
      return Object.assign(new Error(`the certificate of ${host} has SHA-256 fingerprint ${cert.fingerprint256 ?? '(none)'}, not the pinned one`), { code: FINGERPRINT_MISMATCH });
    };
  }
  return out;
}
