import { builder } from './builder.js';
import { auditEntry, authorize } from './authorize.js';

interface SyncOutcome {
  ok: boolean;
  report: unknown;
}

const SyncResult = builder.objectRef<SyncOutcome>('InventorySyncResult').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'False when some backup server could not be synced (its data is kept, marked stale).' }),
    report: t.field({ type: 'JSON', description: 'Counts and errors of the sync, as `inventory sync --json` prints them.', resolve: (outcome) => outcome.report }),
  }),
});

builder.mutationField('syncInventory', (t) =>
  t.field({
    type: SyncResult,
    description: 'Syncs the inventory from EM now (or joins the sync running) and rebuilds restore scopes. Administrators only; audited.',
    resolve: async (_root, _args, ctx) => {
      const audit = { action: 'inventory.sync', subject: { type: 'Inventory', id: null } };
      const { caller, decision } = await authorize(ctx, 'manage', 'Inventory', audit);
      const report = (await ctx.services.inventory.syncNow()) as { ok: boolean };
      await ctx.services.audit.append(
        auditEntry(ctx, caller, { ...audit, decision: 'ALLOW', rule: decision.rule, reason: decision.reason, details: { ok: report.ok } }),
      );
      return { ok: report.ok, report: JSON.parse(JSON.stringify(report)) as unknown };
    },
  }),
);
