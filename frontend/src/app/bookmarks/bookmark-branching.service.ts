import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, firstValueFrom, map } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { Bookmark, Branch, Container } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { branchNameFrom } from '../containers/new-branch-dialog.component';

/**
 * Using a bookmark's data in my own work: a branch of it in one of my containers of its
 * template, or a new container from it when I have none.
 */
@Injectable({ providedIn: 'root' })
export class BookmarkBranching {
  private readonly containers = inject(ContainersApi);
  private readonly ops = inject(OperationsService);
  private readonly router = inject(Router);

  /** The containers I own that can take a branch of the bookmark (same template). */
  targetsFor(bookmark: Bookmark): Observable<Container[]> {
    return this.containers.list().pipe(map((list) => list.filter((c) => canTake(c, bookmark))));
  }

  /**
   * One click: branches the bookmark into `container` under a free name, activates the new
   * branch (creating a branch does not), and opens the container. False when a step failed
   * (the operations panel says which).
   */
  async branchAndActivate(bookmark: Bookmark, container: Container): Promise<boolean> {
    const taken = await firstValueFrom(this.containers.branches(container.id));
    const name = freeName(
      branchNameFrom(bookmark.name),
      taken.map((b) => b.name),
    );
    const created = await this.ops.run(
      'New branch',
      this.containers.createBranch(container.id, { name, fromBookmarkId: bookmark.id }),
      `Branch ${name} created in ${container.name}`,
    );
    if (!created.ok || !created.id) return false;
    const branch = await this.branch(container.id, created.id);
    if (!branch?.active) {
      const activated = await this.ops.run(
        'Activate',
        this.containers.activate(created.id),
        `${name} is active: the connection strings of ${container.name} now serve its data`,
      );
      if (!activated.ok) return false;
    }
    await this.router.navigate(['/containers', container.id]);
    return true;
  }

  /** A container of my own from the bookmark, for when I have none of its template. */
  async newContainer(bookmark: Bookmark): Promise<boolean> {
    const name = branchNameFrom(bookmark.name);
    const outcome = await this.ops.run(
      'Create container',
      this.containers.create({
        name,
        templateId: bookmark.templateId,
        fromBookmarkId: bookmark.id,
      }),
      `Container ${name} was created from the bookmark`,
    );
    if (!outcome.ok || !outcome.id) return false;
    await this.router.navigate(['/containers', outcome.id]);
    return true;
  }

  private async branch(containerId: string, branchId: string): Promise<Branch | undefined> {
    const branches = await firstValueFrom(this.containers.branches(containerId));
    return branches.find((b) => b.id === branchId);
  }
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
