import { Injectable, inject } from '@angular/core';
import { Observable, catchError, firstValueFrom, map, of, switchMap } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { Bookmark, Container } from '../core/api/models';
import { OperationLink, OperationsService } from '../core/jobs/operations.service';
import { branchNameFrom } from '../containers/new-branch-dialog.component';

/**
 * Using a bookmark's data in my own work: a branch of it in one of my containers of its
 * template, or a new container from it when I have none. The bookmark page and the catalog
 * both go through here; each step shows in the operations panel, whose success message offers
 * to open the container.
 */
@Injectable({ providedIn: 'root' })
export class BookmarkBranching {
  private readonly containers = inject(ContainersApi);
  private readonly ops = inject(OperationsService);

  /** The containers I own that can take a branch of the bookmark (same template). */
  targetsFor(bookmark: Bookmark): Observable<Container[]> {
    return this.containers.list().pipe(map((list) => list.filter((c) => canTake(c, bookmark))));
  }

  /**
   * One click: branches the bookmark into `container` under a free name and activates the new
   * branch (creating a branch does not). Resolves to the container's id, or null when a step
   * failed (the operations panel says which).
   */
  async branchAndActivate(bookmark: Bookmark, container: Container): Promise<string | null> {
    let name = '';
    const created = await this.ops.run(
      'New branch',
      this.containers.branches(container.id).pipe(
        switchMap((taken) => {
          name = freeName(
            branchNameFrom(bookmark.name),
            taken.map((b) => b.name),
          );
          return this.containers.createBranch(container.id, {
            name,
            fromBookmarkId: bookmark.id,
          });
        }),
      ),
      () => `Branch ${name} created in ${container.name}`,
    );
    if (!created.ok || !created.id) return null;
    if (!(await this.isActive(container.id, created.id))) {
      const activated = await this.ops.run(
        'Activate',
        this.containers.activate(created.id),
        `${name} is active: the connection strings of ${container.name} now serve its data`,
        openContainer(container.id, container.name),
      );
      if (!activated.ok) return null;
    }
    return container.id;
  }

  /**
   * A container of my own from the bookmark, for when I have none of its template. Resolves
   * to the new container's id, or null when that failed.
   */
  async newContainer(bookmark: Bookmark): Promise<string | null> {
    const name = branchNameFrom(bookmark.name);
    const outcome = await this.ops.run(
      'Create container',
      this.containers.create({
        name,
        templateId: bookmark.templateId,
        fromBookmarkId: bookmark.id,
      }),
      `Container ${name} was created from the bookmark`,
      (id) => openContainer(id, name),
    );
    return outcome.ok && outcome.id ? outcome.id : null;
  }

  /** Whether the new branch came up active already; when that cannot be read, it is not. */
  private isActive(containerId: string, branchId: string): Promise<boolean> {
    return firstValueFrom(
      this.containers.branches(containerId).pipe(
        map((branches) => !!branches.find((b) => b.id === branchId)?.active),
        catchError(() => of(false)),
      ),
    );
  }
}

function openContainer(id: string, name: string): OperationLink {
  return { label: `Open ${name}`, commands: ['/containers', id] };
}

/** Whether a branch of the bookmark can go into the container: mine, of the same template. */
export function canTake(container: Container, bookmark: Bookmark): boolean {
  return container.access === 'owner' && container.templateId === bookmark.templateId;
}

/** `base`, or `base-2`, `base-3`… when a branch of that name exists already. */
export function freeName(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 63 - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
