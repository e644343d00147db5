import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { switchMap, tap } from 'rxjs';
import { Schedule, SchedulesApi } from '../core/api/schedules.api';
import { OperationsService } from '../core/jobs/operations.service';

/** The browser's time zone: what a new schedule's times are read in unless changed. */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * When the container's databases stop and start (its own schedule or its owner's default): the
 * next stop and start, and for owners the cron expressions and time zone to change.
 */
@Component({
  selector: 'bp-schedule-panel',
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 id="schedule-title">Schedule</h2>
    @let s = schedule();
    @if (s && s.scope !== 'none') {
      <p class="next">
        Next stop:
        <strong>{{ s.nextStopAt ? (s.nextStopAt | date: 'EEE d MMM, HH:mm') : 'none' }}</strong>
        · next start:
        <strong>{{ s.nextStartAt ? (s.nextStartAt | date: 'EEE d MMM, HH:mm') : 'none' }}</strong>
      </p>
      <p class="bp-muted small">
        {{ s.scope === 'user' ? "The owner's default" : 'Its own schedule' }}: stop
        <code>{{ s.stop ?? '—' }}</code>, start <code>{{ s.start ?? '—' }}</code> ({{ s.timeZone }})
      </p>
    } @else if (s) {
      <p class="bp-muted">No schedule: the databases run until someone stops them.</p>
    }
    @if (canEdit()) {
      <form (ngSubmit)="save()" class="schedule-form">
        <mat-form-field appearance="outline">
          <mat-label>Stop (cron)</mat-label>
          <input matInput name="stop" [(ngModel)]="stop" placeholder="0 20 * * 1-5" />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Start (cron)</mat-label>
          <input matInput name="start" [(ngModel)]="start" placeholder="0 7 * * 1-5" />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Time zone</mat-label>
          <input matInput name="timeZone" [(ngModel)]="timeZone" />
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="!stop().trim() && !start().trim()">
          Save schedule
        </button>
        @if (s?.scope === 'container') {
          <button mat-button type="button" (click)="remove()">Remove</button>
        }
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchedulePanelComponent {
  private readonly api = inject(SchedulesApi);
  private readonly ops = inject(OperationsService);

  readonly containerId = input.required<string>();
  readonly canEdit = input(false);

  protected readonly schedule = signal<Schedule | null>(null);
  protected readonly stop = signal('');
  protected readonly start = signal('');
  protected readonly timeZone = signal(LOCAL_ZONE);

  constructor() {
    toObservable(this.containerId)
      .pipe(
        switchMap((id) => this.api.forContainer(id)),
        takeUntilDestroyed(),
      )
      .subscribe((schedule) => this.show(schedule));
  }

  async save(): Promise<void> {
    const body = {
      stop: this.stop().trim() || null,
      start: this.start().trim() || null,
      timeZone: this.timeZone().trim(),
    };
    await this.ops.run(
      'Save schedule',
      this.api
        .setForContainer(this.containerId(), body)
        .pipe(tap((schedule) => this.show(schedule))),
      'Schedule saved',
    );
  }

  async remove(): Promise<void> {
    const id = this.containerId();
    await this.ops.run(
      'Remove schedule',
      this.api.removeForContainer(id).pipe(
        switchMap(() => this.api.forContainer(id)),
        tap((schedule) => this.show(schedule)),
      ),
      'Schedule removed',
    );
  }

  private show(schedule: Schedule): void {
    this.schedule.set(schedule);
    if (schedule.scope === 'none') return;
    this.stop.set(schedule.stop ?? '');
    this.start.set(schedule.start ?? '');
    this.timeZone.set(schedule.timeZone ?? LOCAL_ZONE);
  }
}
