import { notFound, ok, type Route } from '../core.js';
import { refOf, restoreSessionEntity, taskEntity } from '../representation.js';
import { pageBody, pageRequest } from './paging.js';

export const taskRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/tasks\/?$/i,
    name: 'GET /tasks',
    requestClass: 'read',
    handler: (ctx) => {
      const sim = ctx.core.simulation;
      const tasks = sim.tasksOf(ctx.session.id).map((t) => taskEntity(ctx.base, t, sim.snapshot(t.failover)));
      const request = { ...pageRequest(ctx.url), pageSize: Math.max(1, tasks.length), page: 1 };
      return ok(pageBody(ctx.url, 'Tasks', tasks.length, request, tasks));
    },
  },
  {
    method: 'GET',
    pattern: /^\/tasks\/([^/]+)$/i,
    name: 'GET /tasks/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      // Tasks belong to the logon session that created them: another session gets 404.
      const task = ctx.core.simulation.task(ctx.params[0]!, ctx.session.id);
      if (!task) throw notFound('Task', ctx.params[0]!);
      return ok(taskEntity(ctx.base, task, ctx.core.simulation.snapshot(task.failover)));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/tasks\/([^/]+)$/i,
    name: 'DELETE /tasks/{id}',
    requestClass: 'other',
    handler: (ctx) => {
      if (!ctx.core.simulation.deleteTask(ctx.params[0]!, ctx.session.id)) throw notFound('Task', ctx.params[0]!);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/restoreSessions\/([^/]+)$/i,
    name: 'GET /restoreSessions/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const r = ctx.core.simulation.restoreSession(ctx.params[0]!);
      if (!r) throw notFound('Restore session', ctx.params[0]!);
      const entity = restoreSessionEntity(ctx.base, ctx.core.inventory, r, ctx.core.simulation.snapshot(r));
      return ok((ctx.url.searchParams.get('format') ?? '').toLowerCase() === 'entity' ? entity : refOf(entity));
    },
  },
];
