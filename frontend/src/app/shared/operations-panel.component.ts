import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { OperationsService } from '../core/jobs/operations.service';
import { IconComponent } from './icon.component';

/** Live progress of the operations started in this tab, and how each one ended. */
@Component({
  selector: 'bp-operations-panel',
  imports: [MatProgressBarModule, MatButtonModule, RouterLink, RouterLinkActive, IconComponent],
  template: `
    @for (op of ops.operations(); track op.key) {
      <div
        class="op"
        [class.failed]="op.state === 'failed'"
        [class.notice]="op.state === 'notice'"
        [class.done]="op.state === 'succeeded'"
      >
        @if (op.message) {
          <div class="message" [attr.role]="op.state === 'succeeded' ? 'status' : 'alert'">
            {{ op.message }}
          </div>
        } @else {
          <div class="label">
            {{ op.label }}… <span class="pct">{{ op.progress }}%</span>
          </div>
        }
        @if (op.jobId) {
          <button
            mat-button
            type="button"
            class="log-toggle"
            [attr.aria-expanded]="!!op.logOpen"
            (click)="ops.toggleLog(op.key)"
          >
            {{ op.logOpen ? 'Hide log' : 'Show log' }}
          </button>
        }
        @if (op.message) {
          <button mat-icon-button type="button" aria-label="Dismiss" (click)="ops.dismiss(op.key)">
            <bp-icon name="close" />
          </button>
        } @else {
          <mat-progress-bar
            [mode]="
              op.state === 'starting' || op.state === 'queued' ? 'indeterminate' : 'determinate'
            "
            [value]="op.progress"
            [attr.aria-label]="op.label + ' progress'"
          />
        }
        @if (op.link; as link) {
          <!-- No link to the page already open (a page may go there by itself). -->
          <div class="link" routerLinkActive="here">
            <a mat-button [routerLink]="link.commands" (click)="ops.dismiss(op.key)">{{
              link.label
            }}</a>
          </div>
        }
        @if (op.logOpen) {
          <div class="log" role="log" tabindex="0" [attr.aria-label]="op.label + ' log'">
            @for (line of op.log ?? []; track $index) {
              <div>{{ line }}</div>
            } @empty {
              <div class="none">No log lines yet.</div>
            }
          </div>
        }
      </div>
    }
  `,
  styles: `
    :host {
      position: fixed;
      right: 24px;
      bottom: 24px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      z-index: 1000;
      width: 380px;
      max-width: calc(100vw - 48px);
    }
    .op {
      background: var(--mat-sys-inverse-surface);
      color: var(--mat-sys-inverse-on-surface);
      border-radius: 8px;
      padding: 12px 14px;
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .op.notice {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .op.failed {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .label,
    .message {
      flex: 1;
    }
    .pct {
      opacity: 0.7;
      font-variant-numeric: tabular-nums;
    }
    mat-progress-bar {
      flex-basis: 100%;
    }
    button {
      color: inherit;
      margin: -8px -6px -8px 0;
    }
    .link {
      flex-basis: 100%;
      margin: -6px 0 -8px -8px;
      --mat-button-text-label-text-color: var(--mat-sys-inverse-primary);
    }
    .link.here {
      display: none;
    }
    .log-toggle {
      --mat-button-text-label-text-color: currentColor;
      text-decoration: underline;
      margin: -8px 0;
      min-width: 0;
      padding: 0 8px;
    }
    .log {
      flex-basis: 100%;
      margin: 0;
      max-height: 240px;
      overflow: auto;
      padding: 8px;
      border-radius: 6px;
      background: rgb(0 0 0 / 0.18);
      font-family: var(--bp-mono);
      font-size: 11.5px;
      line-height: 1.45;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .log .none {
      font-family: inherit;
      opacity: 0.7;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OperationsPanelComponent {
  protected readonly ops = inject(OperationsService);
}
