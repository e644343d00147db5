import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
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
  private readonly http = inject(HttpClient);

  list(query: BookmarkQuery = {}): Observable<Bookmark[]> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value) params = params.set(key, value);
    }
    return this.http.get<Bookmark[]>(`${API_BASE}/bookmarks`, { params });
  }

  get(id: string): Observable<Bookmark> {
    return this.http.get<Bookmark>(`${API_BASE}/bookmarks/${id}`);
  }

  create(branchId: string, fields: BookmarkFields): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/branches/${branchId}/bookmarks`, fields);
  }

  update(id: string, fields: Partial<BookmarkFields>): Observable<Bookmark> {
    return this.http.patch<Bookmark>(`${API_BASE}/bookmarks/${id}`, fields);
  }

  delete(id: string): Observable<Accepted | null> {
    return this.http.delete<Accepted | null>(`${API_BASE}/bookmarks/${id}`);
  }

  share(id: string, target: ShareTarget): Observable<unknown> {
    return this.http.post(`${API_BASE}/bookmarks/${id}/share`, target);
  }

  unshare(id: string): Observable<unknown> {
    return this.http.delete(`${API_BASE}/bookmarks/${id}/share`);
  }
}
