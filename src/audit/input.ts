import { AUDIT_DECISIONS, type AuditEntryInput, type JsonValue, type UnchainedEntry } from './types.js';

/** An entry the log refuses before it reaches the database; only its caller is rejected. */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
}

/**
 * NUL cannot be stored in a PostgreSQL text or jsonb value, and a lone
 * surrogate would be written as U+FFFD: either would fail the whole batch's
 * transaction, or store text that no longer hashes as it did when appended.
 */
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

/** The entry as it will be stored and hashed, or an AuditInputError naming the bad field. */
export function normaliseInput(input: AuditEntryInput, now: () => Date): UnchainedEntry {
  if (typeof input.action !== 'string' || input.action.length === 0) throw new AuditInputError('action must be a non-empty string');
  if (!AUDIT_DECISIONS.includes(input.decision)) throw new AuditInputError(`decision must be ALLOW or DENY, got ${String(input.decision)}`);
  const at = input.at ?? now();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new AuditInputError('at must be a valid Date');
  const entry: UnchainedEntry = {
    at: new Date(at.getTime()),
    actorSubject: optionalText('actor.subject', input.actor?.subject),
    actorGroups: textList('actor.groups', input.actor?.groups),
    actorRoles: textList('actor.roles', input.actor?.roles),
    action: requiredText('action', input.action),
    subjectType: optionalText('subject.type', input.subject?.type),
    subjectId: optionalText('subject.id', input.subject?.id),
    decision: input.decision,
    rule: optionalText('rule', input.rule),
    reason: optionalText('reason', input.reason),
    requestId: optionalText('requestId', input.requestId),
    clientAddress: optionalText('clientAddress', input.clientAddress),
    userAgent: optionalText('userAgent', input.userAgent),
    callerReason: optionalText('callerReason', input.callerReason),
    details: jsonDetails(input.details),
  };
  return entry;
}

function requiredText(field: string, value: string): string {
  if (UNSTORABLE.test(value)) throw new AuditInputError(`${field} contains NUL or an unpaired surrogate`);
  return value;
}

function optionalText(field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AuditInputError(`${field} must be a string or null`);
  return requiredText(field, value);
}

function textList(field: string, values: readonly string[] | undefined): string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new AuditInputError(`${field} must be an array of strings`);
  return values.map((value, index) => {
    if (typeof value !== 'string') throw new AuditInputError(`${field}[${index}] must be a string`);
    return requiredText(`${field}[${index}]`, value);
  });
}

/** Details as JSON will carry them: round-tripped once, so what is hashed is what is stored. */
function jsonDetails(details: unknown): JsonValue | null {
  if (details === undefined || details === null) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(details);
  } catch (error) {
    throw new AuditInputError(`details cannot be written as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new AuditInputError('details cannot be written as JSON');
  const value = JSON.parse(text) as JsonValue;
  if (!storable(value)) throw new AuditInputError('details contain NUL or an unpaired surrogate');
  return value;
}

function storable(value: JsonValue): boolean {
  if (typeof value === 'string') return !UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(storable);
  return Object.entries(value).every(([key, member]) => !UNSTORABLE.test(key) && storable(member));
}
