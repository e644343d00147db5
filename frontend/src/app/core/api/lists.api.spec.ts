import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, type Observable } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountApi } from './account.api';
import { AdminApi } from './admin.api';
import { OutboundApi } from './outbound.api';
import { WebhooksApi } from './webhooks.api';

// Every list the UI shows or picks from whole (users to share with, templates and hosts to
// choose, tokens, webhooks, deliveries, outbound rules) reads all its pages, not the first 100.
const LISTS: [string, string, () => Observable<unknown[]>][] = [
  ['users', '/api/v1/users', () => TestBed.inject(AdminApi).users()],
  ['hosts', '/api/v1/hosts', () => TestBed.inject(AdminApi).hosts()],
  ['templates', '/api/v1/templates', () => TestBed.inject(AdminApi).templates()],
  ['API tokens', '/api/v1/tokens', () => TestBed.inject(AccountApi).tokens()],
  ['webhooks', '/api/v1/webhooks', () => TestBed.inject(WebhooksApi).list()],
  [
    'deliveries',
    '/api/v1/webhooks/w1/deliveries',
    () => TestBed.inject(WebhooksApi).deliveries('w1'),
  ],
  ['outbound rules', '/api/v1/settings/outbound', () => TestBed.inject(OutboundApi).list()],
];

describe('lists of the feature APIs', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  it.each(LISTS)('%s: follows X-Next-Cursor to the last page', async (_name, path, list) => {
    const all = firstValueFrom(list());
    backend.expectOne(path).flush([{ id: 'a' }], { headers: { 'X-Next-Cursor': 'c2' } });
    backend.expectOne(`${path}?cursor=c2`).flush([{ id: 'b' }]);
    expect(await all).toEqual([{ id: 'a' }, { id: 'b' }]);
    backend.verify();
  });
});
