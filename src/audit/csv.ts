/**
 * One CSV field, RFC 4180: quoted when it holds a quote, comma, CR or LF, with
 * quotes doubled. `null` is an empty field and '' a quoted empty one, so the two
 * stay apart.
 */
export function csvField(value: string | null, protectFormulas: boolean): string {
  if (value === null) return '';
  const text = protectFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row of fields, CRLF-terminated as RFC 4180 asks. */
export function csvLine(fields: ReadonlyArray<string | null>, protectFormulas: boolean): string {
  return `${fields.map((field) => csvField(field, protectFormulas)).join(',')}\r\n`;
}

/**
 * Spreadsheets run a cell that starts with one of these as a formula; audit
 * fields such as the user agent come from outside, so by default such a cell
 * is prefixed with an apostrophe (OWASP's advice against CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
