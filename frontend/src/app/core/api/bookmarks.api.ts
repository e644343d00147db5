import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { HttpApi } from './http-api';
import { Accepted, Bookmark, BookmarkFields } from './models';

export interface BookmarkQuery {
  scope?: 'mine' | 'shared' | 'all';
  tag?: string;
  q?: string;
}

export type ShareTarget = { everyone: true } | { userIds: string[] };

/** Bookmarks: creating them on a branch, the catalog, and sharing. */
@Injectable({ providedIn: 'root' })
export class BookmarksApi {
  private readonly api = inject(HttpApi);

  list(query: BookmarkQuery = {}): Observable<Bookmark[]> {
    return this.api.sendAll(rest.bookmarks.list(query));
  }

  get(id: string): Observable<Bookmark> {
    return this.api.send(rest.bookmarks.get(id));
  }

  create(branchId: string, fields: BookmarkFields): Observable<Accepted> {
    return this.api.send(rest.bookmarks.create(branchId, fields));
  }

  update(id: string, fields: Partial<BookmarkFields>): Observable<Bookmark> {
    return this.api.send(rest.bookmarks.update(id, fields));
  }

  delete(id: string): Observable<Accepted | null> {
    // 204: nothing to wait for.
    return this.api.send(rest.bookmarks.delete(id)).pipe(map(() => null));
  }

  share(id: string, target: ShareTarget): Observable<unknown> {
    return this.api.send(rest.bookmarks.share(id, target));
  }

  unshare(id: string): Observable<unknown> {
    return this.api.send(rest.bookmarks.unshare(id));
  }
}
