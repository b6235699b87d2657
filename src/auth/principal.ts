/**
 * Who is calling, as a verified bearer token says. Rights are not here: they
 * come from the accounts that match the subject (USER) and the groups (GROUP).
 */
export interface Principal {
  /** The token's subject claim (JWT_SUBJECT_CLAIM): the name of a USER account. */
  subject: string;
  /** The token's groups claim (JWT_GROUPS_CLAIM), deduplicated; empty when the claim is missing. */
  groups: string[];
  /** When the token expires: the WebSocket layer closes the socket then. */
  expiresAt: Date;
}
