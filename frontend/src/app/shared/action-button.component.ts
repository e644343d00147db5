import { ChangeDetectionStrategy, Component, booleanAttribute, input, output } from '@angular/core';
import { MatButtonAppearance, MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { IconComponent, IconName } from './icon.component';

/**
 * The button of one action: its words, an optional icon and tooltip, and off while the action
 * cannot run or is running. What the action does (asking first, the request, the message) is
 * up to whoever listens to `pressed`.
 */
@Component({
  selector: 'bp-action-button',
  imports: [MatButtonModule, MatTooltipModule, IconComponent],
  template: `
    <button
      type="button"
      [matButton]="appearance()"
      [class.danger]="danger()"
      [disabled]="disabled() || busy()"
      [matTooltip]="tooltip()"
      [attr.aria-label]="ariaLabel() || null"
      (click)="pressed.emit()"
    >
      @if (icon(); as name) {
        <bp-icon [name]="name" />
      }
      {{ label() }}
    </button>
  `,
  styles: `
    :host {
      display: inline-flex;
    }
    .danger:not([disabled]) {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActionButtonComponent {
  /** The button's text and accessible name, e.g. "Delete". */
  readonly label = input.required<string>();
  readonly icon = input<IconName>();
  /** `filled` for the main action of a group, `outlined` for the others, `text` for minor ones. */
  readonly appearance = input<MatButtonAppearance>('outlined');
  /** Destroys or discards something: red while it can be pressed. */
  readonly danger = input(false, { transform: booleanAttribute });
  readonly tooltip = input('');
  /** When the words alone are ambiguous in a list, e.g. "Delete webhook https://…". */
  readonly ariaLabel = input('');
  /** The action cannot run now (not allowed, or not applicable). */
  readonly disabled = input(false);
  /** The action is running; the button stays off until it ends. */
  readonly busy = input(false);
  readonly pressed = output<void>();
}
