import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { catchError, distinctUntilChanged, map, of, switchMap, tap } from 'rxjs';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { ContainersApi } from '../core/api/containers.api';
import { ContainerHost, CreateContainer, Template } from '../core/api/models';
import {
  ExpiresFieldComponent,
  expiresControl,
  expiryRequest,
} from '../shared/expires-field.component';
import { ExpiryPolicy } from '../shared/expiry-policy.service';
import { hostChoices, templateHosts } from './host-choices';

export interface CreateContainerData {
  templates: Template[];
  /** Preselects "from bookmark" with this bookmark. */
  bookmarkId?: string;
}

/** A new container, from a template's latest data or from a bookmark. */
@Component({
  selector: 'bp-create-container-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatRadioModule,
    MatButtonModule,
    ExpiresFieldComponent,
  ],
  templateUrl: './create-container-dialog.component.html',
  styleUrl: './create-container-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateContainerDialogComponent {
  protected readonly data = inject<CreateContainerData>(MAT_DIALOG_DATA);
  private readonly ref =
    inject<MatDialogRef<CreateContainerDialogComponent, CreateContainer>>(MatDialogRef);
  private readonly containers = inject(ContainersApi);
  protected readonly rule = inject(ExpiryPolicy).rule('container');
  protected readonly bookmarks = toSignal(
    inject(BookmarksApi)
      .list({ scope: 'all' })
      .pipe(catchError(() => of([]))),
    {
      initialValue: [],
    },
  );

  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    from: new FormControl<'template' | 'bookmark'>(this.data.bookmarkId ? 'bookmark' : 'template', {
      nonNullable: true,
    }),
    templateId: new FormControl(this.data.templates[0]?.id ?? '', { nonNullable: true }),
    bookmarkId: new FormControl(this.data.bookmarkId ?? '', { nonNullable: true }),
    /** Empty: placement chooses. */
    hostId: new FormControl('', { nonNullable: true }),
    expiresIn: expiresControl(this.rule),
  });

  private readonly value = toSignal(
    this.form.valueChanges.pipe(map(() => this.form.getRawValue())),
    { initialValue: this.form.getRawValue() },
  );

  /** The template the new container will be of: the chosen one, or the bookmark's. */
  private readonly templateId = computed(() => {
    const { from, templateId, bookmarkId } = this.value();
    if (from === 'template') return templateId;
    return this.bookmarks().find((b) => b.id === bookmarkId)?.templateId ?? '';
  });

  /** Where it may go, best first; a choice is offered only when there is one to make. */
  protected readonly hosts = toSignal(
    toObservable(this.templateId).pipe(
      distinctUntilChanged(),
      switchMap((id) => templateHosts(this.containers, id)),
      tap((hosts) => {
        const chosen = this.form.controls.hostId;
        if (chosen.value && !hosts.some((h) => h.id === chosen.value)) chosen.setValue('');
      }),
    ),
    { initialValue: [] as ContainerHost[] },
  );
  protected readonly hostChoices = computed(() => hostChoices(this.hosts()));

  create(): void {
    const { name, from, templateId, bookmarkId, hostId, expiresIn } = this.form.getRawValue();
    if (!name.trim() || this.form.controls.expiresIn.invalid) return this.form.markAllAsTouched();
    const expiry = expiryRequest(expiresIn);
    const host = hostId ? { hostId } : {};
    if (from === 'template') {
      if (templateId) this.ref.close({ name: name.trim(), templateId, ...host, ...expiry });
      return;
    }
    const bookmark = this.bookmarks().find((b) => b.id === bookmarkId);
    if (bookmark) {
      this.ref.close({
        name: name.trim(),
        templateId: bookmark.templateId,
        fromBookmarkId: bookmark.id,
        ...host,
        ...expiry,
      });
    }
  }
}
