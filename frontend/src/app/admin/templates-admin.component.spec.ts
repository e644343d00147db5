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
  sources: [{ name: 'app-db', kind: 'postgres' }] as Template['sources'],
  latestVersion: null,
  ownerSuperuser: false,
  keepRoles: [],
  createdAt: '2026-01-01T00:00:00Z',
};

async function setup(templates: Template[] = [template]) {
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
  http.expectOne(`${API}/hosts`).flush([]);
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
