import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, map, of } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { Usage } from '../core/api/models';
import { QUOTA_LABELS } from '../core/api/quotas.api';
import { UsageApi } from '../core/api/usage.api';
import { BytesPipe } from '../shared/bytes.pipe';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { LoadingComponent } from '../shared/loading.component';
import { UsageBarChartComponent } from './usage-bar-chart.component';

type Loaded = { usage: Usage } | { error: string };

/** Where the space goes: logical (what the copies look like) vs physical (what ZFS stores). */
@Component({
  selector: 'bp-usage',
  imports: [DecimalPipe, BytesPipe, EmptyStateComponent, LoadingComponent, UsageBarChartComponent],
  templateUrl: './usage.component.html',
  styleUrl: './usage.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsageComponent {
  protected readonly loaded = toSignal<Loaded | null>(
    inject(UsageApi)
      .get()
      .pipe(
        map((usage): Loaded => ({ usage })),
        catchError((e: unknown) =>
          of<Loaded>({ error: `Could not load usage: ${errorMessage(e)}` }),
        ),
      ),
    { initialValue: null },
  );
  protected readonly usage = computed(() => {
    const l = this.loaded();
    return l && 'usage' in l ? l.usage : null;
  });
  protected readonly error = computed(() => {
    const l = this.loaded();
    return l && 'error' in l ? l.error : null;
  });
  /** The caller's quotas, in words; `full` when nothing more fits. */
  protected readonly quotas = computed(() =>
    (this.usage()?.quotas ?? []).map((q) => ({
      ...q,
      label: QUOTA_LABELS[q.kind],
      full: q.limit !== null && q.used >= q.limit,
    })),
  );
  /** How many bytes the copies would take without copy-on-write, per byte actually stored. */
  protected readonly savings = computed(() => {
    const t = this.usage()?.total;
    return t && t.physicalBytes > 0 ? t.savingsRatio || t.logicalBytes / t.physicalBytes : null;
  });
}
