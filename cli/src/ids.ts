const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is an id (the API's ids are UUIDs) rather than a name. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
