/** Why an account change was refused; nothing was changed. */
export type AccountProblem = 'malformed-ref' | 'unknown-ref' | 'last-administrator' | 'duplicate' | 'not-found' | 'invalid';

export class AccountChangeError extends Error {
  override name = 'AccountChangeError';
  constructor(
    readonly problem: AccountProblem,
    message: string,
    /** The offending references, for unknown and malformed ones. */
    readonly refs: readonly string[] = [],
  ) {
    super(message);
  }
}
