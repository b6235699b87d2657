import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { VBR_API_REVISIONS, type VbrClientOptions } from '../vbr/types.js';
import { ConfigError } from './config-error.js';

/** EInstalledLicenseEdition values an operator may state for a server whose license the gateway cannot read. */
export const STATED_EDITIONS = ['Community', 'Standard', 'Enterprise', 'EnterprisePlus'] as const;
export type StatedEdition = (typeof STATED_EDITIONS)[number];

/**
 * How the gateway reaches one backup server's own REST API: everything a VBR
 * client needs, already read from files, so it can cross into a worker thread.
 */
export type VbrEndpoint = Pick<VbrClientOptions, 'url' | 'username' | 'password' | 'ca' | 'fingerprint' | 'apiVersion'>;

/** One entry of the VBR_SERVERS file, resolved. */
export interface VbrServerEntry {
  /** The backup server as EM names it: its Name or its UID (urn:veeam:BackupServer:<guid>). */
  key: string;
  connection?: VbrEndpoint;
  /** Overrides LICENSE_EDITION for this server. */
  licenseEdition?: StatedEdition;
}

const fingerprint = z
  .string()
  .transform((text) => text.replace(/[:\s]/g, '').toLowerCase())
  .refine((hex) => /^[0-9a-f]{64}$/.test(hex), 'must be a SHA-256 fingerprint (64 hex digits, colons allowed)');

const entrySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    fingerprint: fingerprint.optional(),
    apiVersion: z.enum(VBR_API_REVISIONS).optional(),
    licenseEdition: z.enum(STATED_EDITIONS).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const connects = entry.url !== undefined || entry.username !== undefined || entry.password !== undefined || entry.passwordFile !== undefined;
    if (!connects) {
      if (entry.licenseEdition === undefined) ctx.addIssue({ code: 'custom', message: 'needs url, username and password (or passwordFile), or at least licenseEdition' });
      return;
    }
    if (entry.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required with username and password' });
    if (entry.username === undefined) ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required with url' });
    if ((entry.password === undefined) === (entry.passwordFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'give exactly one of password and passwordFile' });
    }
  });

const fileSchema = z.record(z.string().min(1), entrySchema);

function readText(path: string, what: string, file: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`VBR_SERVERS file ${file}: cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * Reads the VBR_SERVERS file: a JSON object mapping each backup server (by
 * EM's name or UID) to how the gateway reaches its REST API. Relative file
 * paths inside it are relative to the file. Throws ConfigError with one line.
 */
export function loadVbrServers(file: string): VbrServerEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file, 'the file', file));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`VBR_SERVERS file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const [server, ...field] = issue.path.map(String);
    const where = server === undefined ? '' : field.length > 0 ? ` server "${server}" ${field.join('.')}` : ` server "${server}"`;
    throw new ConfigError(`VBR_SERVERS file ${file}:${where} ${issue.message}`);
  }
  const base = dirname(resolve(file));
  const seen = new Map<string, string>();
  return Object.entries(result.data).map(([key, entry]) => {
    const folded = key.toLowerCase();
    if (seen.has(folded)) throw new ConfigError(`VBR_SERVERS file ${file}: server "${key}" is listed twice (as "${seen.get(folded)}" too)`);
    seen.set(folded, key);
    const connection: VbrEndpoint | undefined =
      entry.url === undefined
        ? undefined
        : {
            url: entry.url.replace(/\/+$/, ''),
            username: entry.username!,
            password: entry.password ?? readText(resolve(base, entry.passwordFile!), 'passwordFile', file).trim(),
            ca: entry.caFile === undefined ? undefined : readText(resolve(base, entry.caFile), 'caFile', file),
            fingerprint: entry.fingerprint,
            apiVersion: entry.apiVersion,
          };
    return { key, connection, licenseEdition: entry.licenseEdition };
  });
}

/** The entry that names this backup server, by UID or by name (names compared case-insensitively, as EM does). */
export function vbrEntryFor(entries: readonly VbrServerEntry[], server: { uid: string; name: string }): VbrServerEntry | undefined {
  const uid = server.uid.toLowerCase();
  const name = server.name.toLowerCase();
  return entries.find((e) => e.key.toLowerCase() === uid) ?? entries.find((e) => e.key.toLowerCase() === name);
}
