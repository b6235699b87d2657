/**
 * The JSON text of the top-level member `key` of an answer's bytes when it
 * comes last, as listings put their paging (EM's `PagingInfo`, VBR's
 * `pagination`): the text after the key up to the matching closing brace.
 * Reading it from the tail lets a caller page through a listing it has seen
 * before without parsing its objects. Undefined when the member is not found
 * there (spelled otherwise, or nested in an object): the caller then parses
 * the whole body.
 */
export function trailingMemberText(bytes: Buffer, key: string): string | undefined {
  const quoted = Buffer.from(JSON.stringify(key));
  const at = bytes.lastIndexOf(quoted);
  if (at < 0) return undefined;
  const text = bytes.toString('utf8', at + quoted.length);
  let i = 0;
  while (i < text.length && (text[i] === ':' || text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] !== '{') return undefined;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        // Only the outer object may follow: a closing brace and whitespace.
        return /^\s*\}\s*$/.test(text.slice(i + 1)) ? text.slice(start, i + 1) : undefined;
      }
    }
  }
  return undefined;
}
