import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { api } from '@branchpoint/api-client';
import { firstValueFrom } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { HttpApi } from './http-api';

describe('HttpApi', () => {
  let http: HttpApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpApi);
    backend = TestBed.inject(HttpTestingController);
  });

  it('sends a generated call: method, path, body, and the query without empty values', async () => {
    const created = firstValueFrom(http.send(api.bookmarks.create('b1', { name: 'before' })));
    const post = backend.expectOne('/api/v1/branches/b1/bookmarks');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ name: 'before' });
    post.flush({ jobId: 'j1' });
    expect(await created).toEqual({ jobId: 'j1' });

    const listed = firstValueFrom(http.send(api.bookmarks.list({ scope: 'mine', tag: '' })));
    backend.expectOne('/api/v1/bookmarks?scope=mine').flush([]);
    expect(await listed).toEqual([]);
    backend.verify();
  });

  it('follows the pages of a list through X-Next-Cursor, keeping the query', async () => {
    const all = firstValueFrom(http.sendAll(api.bookmarks.list({ scope: 'mine' })));
    backend
      .expectOne('/api/v1/bookmarks?scope=mine')
      .flush([{ id: 'b1' }, { id: 'b2' }], { headers: { 'X-Next-Cursor': 'c2' } });
    backend
      .expectOne('/api/v1/bookmarks?scope=mine&cursor=c2')
      .flush([{ id: 'b3' }], { headers: { 'X-Next-Cursor': 'c3' } });
    backend.expectOne('/api/v1/bookmarks?scope=mine&cursor=c3').flush([]);
    expect(await all).toEqual([{ id: 'b1' }, { id: 'b2' }, { id: 'b3' }]);
    backend.verify();
  });

  it('reads answers of another media type as text', async () => {
    const pem = firstValueFrom(http.send(api.containers.caCertificate('c1')));
    const get = backend.expectOne('/api/v1/containers/c1/ca-certificate');
    expect(get.request.responseType).toBe('text');
    expect(get.request.headers.get('accept')).toBe('application/x-pem-file');
    get.flush('-----BEGIN CERTIFICATE-----');
    expect(await pem).toBe('-----BEGIN CERTIFICATE-----');
  });
});
