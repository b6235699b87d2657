/** A configuration problem the operator must fix; its message is one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
