const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is an id (the API's ids are UUIDs) rather than a name. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** An id as one path segment: whatever was typed, it cannot reach another route. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
