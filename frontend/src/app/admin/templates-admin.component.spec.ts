import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Observable, firstValueFrom } from 'rxjs';
import { Template, TemplateDetail } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { TemplatesAdminComponent, roleList } from './templates-admin.component';

const API = '/api/v1';
const template: Template = {
  id: 't1',
  name: 'employees',
  hostId: 'h1',
  hosts: [{ hostId: 'h1', origin: true, version: null, state: 'replicating', error: null }],
  sources: [{ name: 'app-db', kind: 'postgres' }] as Template['sources'],
  latestVersion: null,
  ownerSuperuser: false,
  keepRoles: [],
  createdAt: '2026-01-01T00:00:00Z',
};

async function setup(
  templates: Template[] = [template],
  hosts: { id: string; name: string }[] = [],
) {
  const run = vi.fn(async (_label: string, request: Observable<unknown>) => {
    await firstValueFrom(request, { defaultValue: null });
    return { ok: true };
  });
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: OperationsService, useValue: { run, operations: signal([]) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(TemplatesAdminComponent);
  fixture.detectChanges();
  http.expectOne(`${API}/templates`).flush(templates);
  http.expectOne(`${API}/hosts`).flush(hosts);
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  await render();
  const host = fixture.nativeElement as HTMLElement;
  const button = (name: string, root: ParentNode = host) =>
    [...root.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
    ) as HTMLButtonElement | undefined;
  const group = (name: string) => host.querySelector(`fieldset[aria-label="${name}"]`)!;
  const type = (field: HTMLTextAreaElement, text: string) => {
    field.value = text;
    field.dispatchEvent(new Event('input'));
  };
  return { http, host, render, button, group, type };
}

describe('TemplatesAdminComponent sources', () => {
  it("names where each source is, as admins get it (without its password), on the source's chip", async () => {
    const connectionString = 'postgres://app@db.internal:5432/app';
    const { host } = await setup([
      { ...template, sources: [{ id: 's1', name: 'app-db', kind: 'postgres', connectionString }] },
    ]);
    const chip = [...host.querySelectorAll('.bp-chip')].find((c) =>
      c.textContent?.includes('app-db'),
    );
    expect(chip?.getAttribute('title')).toBe(connectionString);
  });
});

describe('TemplatesAdminComponent hosts', () => {
  const onTwo: Template = {
    ...template,
    latestVersion: { id: 'v1', version: 'v1', state: 'ready', createdAt: '2026-01-01T00:00:00Z' },
    hosts: [
      { hostId: 'h1', origin: true, version: 'v1', state: 'ready', error: null },
      { hostId: 'h2', origin: false, version: 'v1', state: 'ready', error: null },
    ],
  };
  const hosts = [
    { id: 'h1', name: 'local' },
    { id: 'h2', name: 'local-2' },
    { id: 'h3', name: 'local-3' },
  ];

  it('lists every host the template is on with its version, and offers the others', async () => {
    const { host } = await setup([onTwo], hosts);
    const list = host.querySelector('[aria-label="Hosts of employees"]')!;
    expect(
      [...list.querySelectorAll('li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['local · origin · v1', 'local-2 · ready · v1']);
    // local-3 is not offered until the select opens; the field is there.
    expect(host.querySelector('.add-host mat-select')).not.toBeNull();
    expect(host.querySelector('.add-host')?.textContent).toContain('Make available on');
  });

  it('takes the template off a host that is not its origin', async () => {
    const { http, button } = await setup([onTwo], hosts);
    expect(button('Take employees off local')).toBeUndefined();
    button('Take employees off local-2')!.click();
    const removal = http.expectOne({ method: 'DELETE', url: `${API}/templates/t1/hosts/h2` });
    removal.flush({ jobId: 'j1' });
  });
});

describe('TemplatesAdminComponent hooks', () => {
  it('edits the SQL blocks and shell scripts of a template and saves them', async () => {
    const { http, render, button, group, type } = await setup();
    button('Hooks of employees')!.click();
    const detail: TemplateDetail = {
      ...template,
      versions: [],
      hooks: { afterIngest: ['UPDATE a SET b = 1', 'DELETE FROM c'], afterStartShell: 'echo hi' },
    };
    http.expectOne(`${API}/templates/t1`).flush(detail);
    await render();

    const ingest = group('After ingest');
    const blocks = () => [...ingest.querySelectorAll('textarea')] as HTMLTextAreaElement[];
    // Two SQL blocks, then the shell script.
    expect(blocks().map((t) => t.value)).toEqual(['UPDATE a SET b = 1', 'DELETE FROM c', '']);
    button('Remove After ingest SQL 1', ingest)!.click();
    button('Add statement', ingest)!.click();
    await render();
    type(blocks()[1]!, 'UPDATE customers SET email = md5(email)');
    type(blocks()[2]!, 'psql -c "VACUUM"');
    const start = group('After start');
    button('Add statement', start)!.click();
    await render();
    // A block left empty is not sent.
    button('Save hooks')!.click();

    const patch = http.expectOne({ method: 'PATCH', url: `${API}/templates/t1` });
    expect(patch.request.body).toEqual({
      hooks: {
        afterIngest: ['DELETE FROM c', 'UPDATE customers SET email = md5(email)'],
        afterStart: [],
        afterIngestShell: 'psql -c "VACUUM"',
        afterStartShell: 'echo hi',
      },
    });
  });
});

describe('TemplatesAdminComponent engines', () => {
  it('tells in which databases, of which engines, the SQL hooks run', async () => {
    const { http, render, button, group } = await setup();
    button('Hooks of employees')!.click();
    http.expectOne(`${API}/templates/t1`).flush({
      ...template,
      sources: [
        { id: 's1', name: 'site', kind: 'mariadb' },
        { id: 's2', name: 'files', kind: 'directory' },
        { id: 's3', name: 'analytics', kind: 'postgres' },
      ],
      versions: [],
      hooks: {},
    } satisfies TemplateDetail);
    await render();
    expect(group('After ingest').querySelector('.engines')?.textContent).toContain(
      'Runs in site (MariaDB), analytics (PostgreSQL)',
    );
  });
});

describe('roleList', () => {
  it('reads role names separated by commas or spaces', () => {
    expect(roleList(' app, report_ro  audit ')).toEqual(['app', 'report_ro', 'audit']);
    expect(roleList('')).toEqual([]);
  });
});
