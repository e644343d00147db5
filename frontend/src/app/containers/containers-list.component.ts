import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { Router, RouterLink } from '@angular/router';
import { catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Container, CreateContainer, Template, UsageEntry } from '../core/api/models';
import { UsageApi } from '../core/api/usage.api';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { LoadingComponent } from '../shared/loading.component';
import {
  CreateContainerData,
  CreateContainerDialogComponent,
} from './create-container-dialog.component';
import { ContainerTableComponent } from './container-table.component';

@Component({
  selector: 'bp-containers-list',
  imports: [
    ActionButtonComponent,
    RouterLink,
    MatButtonModule,
    ContainerTableComponent,
    EmptyStateComponent,
    LoadingComponent,
  ],
  styles: `
    .section {
      margin-bottom: 32px;
    }
    h2 {
      margin-bottom: 12px;
    }
  `,
  templateUrl: './containers-list.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContainersListComponent {
  private readonly api = inject(ContainersApi);
  private readonly admin = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly ops = inject(OperationsService);
  private readonly router = inject(Router);
  private readonly usageApi = inject(UsageApi);

  protected readonly containers = signal<Container[] | null>(null);
  protected readonly templates = signal<Template[]>([]);
  protected readonly error = signal<string | null>(null);
  /** Sizes come from the hosts and may take longer than the list; null while loading. */
  protected readonly usage = signal<UsageEntry[] | null>(null);
  protected readonly mine = computed(() =>
    (this.containers() ?? []).filter((c) => c.access === 'owner'),
  );
  protected readonly shared = computed(() =>
    (this.containers() ?? []).filter((c) => c.access !== 'owner'),
  );

  constructor() {
    this.load();
  }

  load(): void {
    forkJoin({ containers: this.withBranches(), templates: this.admin.templates() }).subscribe({
      next: ({ containers, templates }) => {
        this.templates.set(templates);
        this.containers.set(containers);
        this.error.set(null);
      },
      error: (e: unknown) => this.error.set(`Could not load containers: ${errorMessage(e)}`),
    });
    this.usageApi
      .get()
      .subscribe({ next: (u) => this.usage.set(u.containers), error: () => this.usage.set([]) });
  }

  /** The list answer has no branches; the details of my containers add them (for the active branch's name). */
  private withBranches() {
    return this.api.list().pipe(
      switchMap((list) =>
        list.length
          ? forkJoin(
              list.map((c) =>
                c.access === 'owner' ? this.api.get(c.id).pipe(catchError(() => of(c))) : of(c),
              ),
            )
          : of(list),
      ),
      map((list) => [...list].sort((a, b) => a.name.localeCompare(b.name))),
    );
  }

  create(): void {
    this.dialog
      .open<CreateContainerDialogComponent, CreateContainerData, CreateContainer>(
        CreateContainerDialogComponent,
        {
          data: { templates: this.templates() },
        },
      )
      .afterClosed()
      .subscribe(async (body) => {
        if (!body) return;
        const outcome = await this.ops.run(
          `Create container ${body.name}`,
          this.api.create(body),
          `Container ${body.name} is ready`,
        );
        this.load();
        if (outcome.ok && outcome.id) void this.router.navigate(['/containers', outcome.id]);
      });
  }
}
