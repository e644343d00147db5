import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

@Component({
  selector: 'bp-loading',
  imports: [MatProgressSpinnerModule],
  template: `<mat-spinner diameter="28" [attr.aria-label]="label()" /><span>{{ label() }}</span>`,
  styles: `
    :host {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 12px;
      padding: 40px;
      color: var(--bp-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadingComponent {
  readonly label = input('Loading…');
}
