import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { forkJoin } from 'rxjs';
import { CLONE_ROLE_PATTERN } from '@branchpoint/contracts';
import { AdminApi } from '../core/api/admin.api';
import { Host, Template, TemplateDetail, TemplateHooks } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { ENGINE_LABEL, SOURCE_LOCATION, type SourceKind } from '../shared/engines';
import { IconComponent } from '../shared/icon.component';

function sourceGroup() {
  return new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^[a-z0-9][a-z0-9-]*$/)],
    }),
    kind: new FormControl<SourceKind>('postgres', { nonNullable: true }),
    /** A connection string, or a directory's path. */
    connectionString: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
}

/** `app, report_ro` -> `['app', 'report_ro']`. */
export function roleList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((role) => role.trim())
    .filter((role) => role !== '');
}

function roleListValidator(control: AbstractControl<string>): ValidationErrors | null {
  const bad = roleList(control.value).filter((role) => !CLONE_ROLE_PATTERN.test(role));
  return bad.length > 0 ? { roles: bad } : null;
}

type SqlHook = 'afterIngest' | 'afterStart';
type ShellHook = 'afterIngestShell' | 'afterStartShell';

function statements(list: readonly string[] = []) {
  return new FormArray(list.map((sql) => new FormControl(sql, { nonNullable: true })));
}

function hooksForm(hooks: TemplateHooks = {}) {
  return new FormGroup({
    afterIngest: statements(hooks.afterIngest),
    afterStart: statements(hooks.afterStart),
    afterIngestShell: new FormControl(hooks.afterIngestShell ?? '', { nonNullable: true }),
    afterStartShell: new FormControl(hooks.afterStartShell ?? '', { nonNullable: true }),
  });
}

/** The hooks as the API takes them: blank blocks dropped, empty shell hooks left out. */
function hooksBody(value: ReturnType<ReturnType<typeof hooksForm>['getRawValue']>): TemplateHooks {
  const sql = (list: string[]) => list.map((s) => s.trim()).filter(Boolean);
  return {
    afterIngest: sql(value.afterIngest),
    afterStart: sql(value.afterStart),
    ...(value.afterIngestShell.trim() ? { afterIngestShell: value.afterIngestShell } : {}),
    ...(value.afterStartShell.trim() ? { afterStartShell: value.afterStartShell } : {}),
  };
}

@Component({
  selector: 'bp-templates-admin',
  imports: [
    ActionButtonComponent,
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    EmptyStateComponent,
    IconComponent,
  ],
  templateUrl: './templates-admin.component.html',
  styleUrls: ['./admin.scss', './templates-admin.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplatesAdminComponent {
  private readonly api = inject(AdminApi);
  private readonly ops = inject(OperationsService);
  protected readonly templates = signal<Template[]>([]);
  protected readonly hosts = signal<Host[]>([]);
  /** Template whose versions are shown, with the versions loaded for it. */
  protected readonly expanded = signal<TemplateDetail | null>(null);
  /** Template whose hooks are being edited, and the form for them. */
  protected readonly editingHooks = signal<TemplateDetail | null>(null);
  protected hooks = hooksForm();
  protected readonly sqlHooks: readonly {
    key: SqlHook;
    shell: ShellHook;
    title: string;
    when: string;
  }[] = [
    {
      key: 'afterIngest',
      shell: 'afterIngestShell',
      title: 'After ingest',
      when: 'Runs on every source after each ingest and refresh, before the version is snapshotted: what it removes is in no container.',
    },
    {
      key: 'afterStart',
      shell: 'afterStartShell',
      title: 'After start',
      when: 'Runs in each new container after every start of its servers (e.g. to reset application passwords).',
    },
  ];
  protected readonly engineLabel = ENGINE_LABEL;
  protected readonly sourceLocation = SOURCE_LOCATION;
  protected readonly kinds = Object.keys(ENGINE_LABEL) as SourceKind[];

  /** `site (MariaDB), analytics (PostgreSQL)`: where a template's SQL hooks run, each through its engine's client. */
  protected hookTargets(template: TemplateDetail): string {
    const databases = template.sources.filter((s) => s.kind !== 'directory');
    return databases.map((s) => `${s.name} (${ENGINE_LABEL[s.kind]})`).join(', ') || 'no database';
  }

  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    hostId: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    sources: new FormArray([sourceGroup()]),
    ownerSuperuser: new FormControl(false, { nonNullable: true }),
    keepRoles: new FormControl('', { nonNullable: true, validators: [roleListValidator] }),
  });

  constructor() {
    this.load();
  }

  private load(): void {
    forkJoin({ templates: this.api.templates(), hosts: this.api.hosts() }).subscribe({
      next: ({ templates, hosts }) => {
        this.templates.set(templates);
        this.hosts.set(hosts);
        if (!this.form.controls.hostId.value && hosts[0])
          this.form.controls.hostId.setValue(hosts[0].id);
      },
    });
  }

  protected hostName(t: Template): string {
    return this.hostNameOf(t.hostId);
  }

  protected hostNameOf(hostId: string): string {
    return this.hosts().find((h) => h.id === hostId)?.name ?? hostId;
  }

  /** Hosts the template is not on yet: where it can be made available. */
  protected otherHosts(t: Template): Host[] {
    return this.hosts().filter((h) => !t.hosts.some((on) => on.hostId === h.id));
  }

  async addHost(t: Template, hostId: string): Promise<void> {
    const host = this.hostNameOf(hostId);
    await this.ops.run(
      `Make ${t.name} available on ${host}`,
      this.api.addTemplateHost(t.id, hostId),
      `Template ${t.name} is available on ${host}`,
    );
    this.load();
  }

  async removeHost(t: Template, hostId: string): Promise<void> {
    const host = this.hostNameOf(hostId);
    await this.ops.run(
      `Take ${t.name} off ${host}`,
      this.api.removeTemplateHost(t.id, hostId),
      `Template ${t.name} is no longer on ${host}`,
    );
    this.load();
  }

  protected toggleVersions(t: Template): void {
    if (this.expanded()?.id === t.id) return this.expanded.set(null);
    this.api.template(t.id).subscribe((full) => this.expanded.set(full));
  }

  protected toggleHooks(t: Template): void {
    if (this.editingHooks()?.id === t.id) return this.editingHooks.set(null);
    this.api.template(t.id).subscribe((full) => {
      this.hooks = hooksForm(full.hooks);
      this.editingHooks.set(full);
    });
  }

  protected addStatement(hook: SqlHook): void {
    this.hooks.controls[hook].push(new FormControl('', { nonNullable: true }));
  }

  protected removeStatement(hook: SqlHook, index: number): void {
    this.hooks.controls[hook].removeAt(index);
  }

  async saveHooks(t: TemplateDetail): Promise<void> {
    const outcome = await this.ops.run(
      `Save hooks of ${t.name}`,
      this.api.updateTemplate(t.id, { hooks: hooksBody(this.hooks.getRawValue()) }),
      `Hooks of ${t.name} saved: they apply from the next refresh and to new containers`,
    );
    if (outcome.ok) this.editingHooks.set(null);
  }

  protected addSource(): void {
    this.form.controls.sources.push(sourceGroup());
  }

  protected removeSource(index: number): void {
    this.form.controls.sources.removeAt(index);
  }

  async refresh(t: Template): Promise<void> {
    await this.ops.run(
      `Refresh ${t.name}`,
      this.api.refreshTemplate(t.id),
      `Template ${t.name} has a new version`,
    );
    this.load();
    if (this.expanded()?.id === t.id)
      this.api.template(t.id).subscribe((full) => this.expanded.set(full));
  }

  async create(): Promise<void> {
    const { name, hostId, sources, ownerSuperuser, keepRoles } = this.form.getRawValue();
    const body = {
      name,
      hostId,
      sources: sources.map(({ name, kind, connectionString }) =>
        kind === 'directory'
          ? { name, kind, path: connectionString }
          : { name, kind, connectionString },
      ),
      ownerSuperuser,
      keepRoles: roleList(keepRoles),
    };
    const outcome = await this.ops.run(
      `Create template ${name}`,
      this.api.createTemplate(body),
      `Template ${name} created and its sources ingested`,
    );
    if (outcome.ok) {
      this.form.controls.name.reset();
      this.form.controls.ownerSuperuser.reset();
      this.form.controls.keepRoles.reset();
      this.form.controls.sources.clear();
      this.addSource();
    }
    this.load();
  }
}
