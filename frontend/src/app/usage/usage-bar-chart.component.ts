import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { UsageEntry } from '../core/api/models';
import { formatBytes } from '../shared/bytes.pipe';

const ROW = 44;
const LABEL_W = 150;
const WIDTH = 560;
const BAR_W = WIDTH - LABEL_W - 80;

/** Logical vs physical bytes per entry as paired horizontal bars, in plain SVG. */
@Component({
  selector: 'bp-usage-bar-chart',
  template: `
    <svg [attr.viewBox]="'0 0 ' + width + ' ' + height()" role="img" [attr.aria-label]="summary()">
      @for (bar of bars(); track bar.id; let i = $index) {
        <g [attr.transform]="'translate(0,' + i * row + ')'">
          <text x="0" y="18" class="label">{{ bar.name }}</text>
          @if (bar.ratio) {
            <text x="0" y="33" class="value">{{ bar.ratio }}× savings</text>
          }
          <rect
            [attr.x]="labelW"
            y="6"
            [attr.width]="bar.logicalW"
            height="12"
            rx="3"
            class="logical"
          />
          <rect
            [attr.x]="labelW"
            y="22"
            [attr.width]="bar.physicalW"
            height="12"
            rx="3"
            class="physical"
          />
          <text [attr.x]="labelW + bar.logicalW + 6" y="16" class="value">{{ bar.logical }}</text>
          <text [attr.x]="labelW + bar.physicalW + 6" y="32" class="value">{{ bar.physical }}</text>
        </g>
      }
    </svg>
  `,
  styles: `
    svg {
      width: 100%;
      max-width: 560px;
      display: block;
    }
    .label {
      font-size: 13px;
      fill: var(--mat-sys-on-surface);
    }
    .value {
      font-size: 11px;
      fill: var(--bp-muted);
    }
    .logical {
      fill: var(--mat-sys-primary-fixed-dim, #a8c7fa);
    }
    .physical {
      fill: var(--mat-sys-primary);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsageBarChartComponent {
  readonly entries = input.required<UsageEntry[]>();
  protected readonly row = ROW;
  protected readonly width = WIDTH;
  protected readonly labelW = LABEL_W;
  protected readonly height = computed(() => Math.max(ROW, this.entries().length * ROW));
  protected readonly bars = computed(() => {
    const max = Math.max(1, ...this.entries().flatMap((e) => [e.logicalBytes, e.physicalBytes]));
    return this.entries().map((e) => ({
      id: e.id,
      name: e.name.length > 20 ? `${e.name.slice(0, 19)}…` : e.name,
      logicalW: Math.max(2, (BAR_W * e.logicalBytes) / max),
      physicalW: Math.max(2, (BAR_W * e.physicalBytes) / max),
      logical: formatBytes(e.logicalBytes),
      physical: formatBytes(e.physicalBytes),
      ratio: e.savingsRatio ? e.savingsRatio.toFixed(1) : null,
    }));
  });
  protected readonly summary = computed(() =>
    this.entries()
      .map(
        (e) =>
          `${e.name}: ${formatBytes(e.logicalBytes)} logical, ${formatBytes(e.physicalBytes)} physical`,
      )
      .join('; '),
  );
}
