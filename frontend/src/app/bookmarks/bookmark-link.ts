/** The shareable address of a bookmark's page, on the control plane that serves this UI. */
export function bookmarkLink(bookmarkId: string): string {
  return new URL(`/bookmarks/${bookmarkId}`, document.baseURI).href;
}
