import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { IconComponent } from './icon.component';

/** Copies a value to the clipboard and says so for a moment. */
@Component({
  selector: 'bp-copy-button',
  imports: [MatButtonModule, MatTooltipModule, IconComponent],
  template: `
    <button
      mat-icon-button
      type="button"
      [attr.aria-label]="label()"
      [matTooltip]="copied() ? 'Copied' : label()"
      (click)="copy()"
    >
      <bp-icon name="copy" />
    </button>
    <span class="sr-status" role="status">{{ copied() ? 'Copied' : '' }}</span>
  `,
  styles: `
    .sr-status {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CopyButtonComponent {
  private readonly clipboard = inject(Clipboard);
  readonly value = input.required<string>();
  readonly label = input('Copy');
  protected readonly copied = signal(false);

  copy(): void {
    this.copied.set(this.clipboard.copy(this.value()));
    setTimeout(() => this.copied.set(false), 1500);
  }
}
