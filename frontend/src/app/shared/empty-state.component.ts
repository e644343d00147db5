import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** What a list looks like when there is nothing in it: what it is for and what to do next. */
@Component({
  selector: 'bp-empty-state',
  template: `
    <div class="title">{{ title() }}</div>
    <div class="hint"><ng-content /></div>
  `,
  styles: `
    :host {
      display: block;
      text-align: center;
      padding: 40px 16px;
      border: 1px dashed var(--bp-border);
      border-radius: 12px;
      color: var(--bp-muted);
    }
    .title {
      font-size: 16px;
      font-weight: 600;
      color: var(--mat-sys-on-surface);
      margin-bottom: 8px;
    }
    .hint {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmptyStateComponent {
  readonly title = input.required<string>();
}
