const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs and bodies; anything that is not a UUID names nothing we store. */
export const isUuid = (s: string): boolean => UUID.test(s);
