export { connectVbr, createVbrClient, type VbrConnection } from './client.js';
export {
  VbrError,
  VbrForbiddenError,
  VbrNotFoundError,
  VbrNotImplementedError,
  VbrOutcomeUnknownError,
  VbrRejectedError,
  VbrUnauthenticatedError,
  VbrUnavailableError,
  isVbrError,
  type VbrErrorKind,
} from './errors.js';
export { buildFailbackSpec, VbrFailbackSpecError, type VbrFailbackDatastorePlacement, type VbrFailbackDestination, type VbrFailbackRequest } from './failback-spec.js';
export { isPointOfVm, vmReplicaPoint } from './replica-points.js';
export type { VbrCall, VbrCallKind } from './session.js';
export * from './types.js';
