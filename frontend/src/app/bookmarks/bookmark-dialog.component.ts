import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Bookmark, BookmarkFields } from '../core/api/models';
import { endOfDay } from '../shared/end-of-day';

export interface BookmarkDialogData {
  /** The bookmark to edit; absent when creating one. */
  bookmark?: Bookmark;
  /** Where the new bookmark goes, shown in the title. */
  branchName?: string;
}

/** Name, description, tags, bug reference and expiry of a bookmark. */
@Component({
  selector: 'bp-bookmark-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
  ],
  templateUrl: './bookmark-dialog.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BookmarkDialogComponent {
  protected readonly data = inject<BookmarkDialogData>(MAT_DIALOG_DATA, { optional: true }) ?? {};
  private readonly ref =
    inject<MatDialogRef<BookmarkDialogComponent, BookmarkFields>>(MatDialogRef);

  protected readonly form = new FormGroup({
    name: new FormControl(this.data.bookmark?.name ?? '', {
      nonNullable: true,
      validators: [Validators.required],
    }),
    description: new FormControl(this.data.bookmark?.description ?? '', { nonNullable: true }),
    tags: new FormControl((this.data.bookmark?.tags ?? []).join(', '), { nonNullable: true }),
    bugRef: new FormControl(this.data.bookmark?.bugRef ?? '', { nonNullable: true }),
    expiresOn: new FormControl(this.data.bookmark?.expiresAt?.slice(0, 10) ?? '', {
      nonNullable: true,
    }),
  });

  save(): void {
    if (this.form.invalid || !this.form.controls.name.value.trim()) {
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close(toFields(this.form.getRawValue()));
  }
}

/** Form values → the API's bookmark fields; empty optional fields are left out. */
export function toFields(value: {
  name: string;
  description: string;
  tags: string;
  bugRef: string;
  expiresOn: string;
}): BookmarkFields {
  const fields: BookmarkFields = { name: value.name.trim() };
  const tags = [
    ...new Set(
      value.tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (value.description.trim()) fields.description = value.description.trim();
  if (tags.length) fields.tags = tags;
  if (value.bugRef.trim()) fields.bugRef = value.bugRef.trim();
  if (value.expiresOn) fields.expiresAt = endOfDay(value.expiresOn);
  return fields;
}
