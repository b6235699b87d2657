import type { AuditLog } from '../audit/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Creates the BOOTSTRAP_ADMINS accounts that do not exist yet, as Portal
 * Administrators with the "all objects" scope, and audits each creation as the
 * gateway's own. Existing accounts are left as they are: the setting only
 * bootstraps, an administrator's later changes stand. Returns the ones created.
 */
export async function bootstrapAdmins(prisma: PrismaClient, audit: AuditLog, entries: readonly string[]): Promise<string[]> {
  const created: string[] = [];
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    const type = entry.slice(0, separator) === 'group' ? 'GROUP' : 'USER';
    const name = entry.slice(separator + 1).trim();
    const existing = await prisma.account.findUnique({ where: { type_name: { type, name } } });
    if (existing) continue;
    const account = await prisma.account
      .create({ data: { type, name, roles: ['PORTAL_ADMINISTRATOR'], scopeAll: true, displayName: 'Bootstrap administrator' } })
      // Another instance starting at the same moment created it first.
      .catch(() => undefined);
    if (!account) continue;
    await audit.append({
      actor: { subject: null },
      action: 'account.bootstrap',
      subject: { type: 'Account', id: account.id },
      decision: 'ALLOW',
      rule: 'setting.bootstrap-admins',
      reason: 'BOOTSTRAP_ADMINS names this account and it did not exist',
      details: { after: account },
    });
    created.push(entry);
  }
  return created;
}
