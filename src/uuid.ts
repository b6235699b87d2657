const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a decoded global id can be a row id of a UUID column. A global id is
 * only base64: a client can wrap any text in one, and PostgreSQL refuses a
 * comparison of a uuid column with text that is not one, failing the query.
 * Such an id names nothing, so lookups treat it as unknown.
 */
export const isUuid = (id: string): boolean => UUID.test(id);
