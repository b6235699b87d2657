export { createEmClient } from './client.js';
export {
  EmError,
  EmForbiddenError,
  EmNotFoundError,
  EmOutcomeUnknownError,
  EmRejectedError,
  EmSessionExpiredError,
  EmUnauthenticatedError,
  EmUnavailableError,
  isEmError,
  type EmErrorKind,
} from './errors.js';
export type * from './types.js';
