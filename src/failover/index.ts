export { FAILOVER_ACTION, FAILOVER_END_ACTION, FAILOVER_RULE } from './audit-entries.js';
export { FailoverInputError, type ReasonPolicy } from './request.js';
export { createFailoverService, type FailoverCall, type FailoverCaller, type FailoverService, type FailoverServiceOptions } from './service.js';
export { createFailoverTracker, type FailoverTracker, type TrackerOptions } from './tracker.js';
export { ACTIVE_STATES, isActive } from './types.js';
export type * from './types.js';
