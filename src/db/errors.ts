/**
 * A database problem an operator can act on. Its message is one line meant to be
 * printed as is (CLI, startup log); the original error stays in `cause`.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The most specific one-line reason inside an error from pg, PGlite, Prisma or the
 * schema engine. Those wrap each other (Prisma errors carry a driver error as
 * `cause`, pg errors carry a `code`), so the innermost message that says
 * something wins.
 */
export function reasonOf(error: unknown): string {
  // Already worded for an operator.
  if (error instanceof DatabaseError) return error.message;
  const seen = new Set<unknown>();
  let current: unknown = error;
  let best: string | undefined;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const message = messageOf(current);
    if (message) best = message;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return best ?? String(error);
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return firstLine(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // AggregateError (pg tries every address of "localhost") hides the useful part.
  if (Array.isArray(record.errors) && record.errors.length > 0) return messageOf(record.errors[0]);
  const code = typeof record.code === 'string' ? record.code : undefined;
  const message = typeof record.message === 'string' ? firstLine(record.message) : undefined;
  if (!message) return code;
  // Prisma's own codes (P2010 "raw query failed") say nothing an operator can use.
  return code && !/^P\d{4}$/.test(code) && !message.includes(code) ? `${message} (${code})` : message;
}

function firstLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  // Prisma client errors open with "Invalid `prisma.x()` invocation:" and put the
  // driver's words on their last line: "Raw query failed. Code: `3D000`. Message: `…`".
  if (lines[0]?.startsWith('Invalid `')) {
    const last = lines.at(-1) ?? '';
    const raw = /Code: `([^`]*)`\. Message: `(.*)`$/.exec(last);
    if (raw) return raw[1] && raw[1] !== 'N/A' ? `${raw[2]} (${raw[1]})` : raw[2];
    return last;
  }
  return lines[0];
}

/** A connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
