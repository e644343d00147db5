import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { Job } from '../core/api/models';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { OperationsService } from '../core/jobs/operations.service';
import { aJob } from '../testing/fixtures';
import { RotatePasswordButtonComponent } from './rotate-password-button.component';

const API = '/api/v1';

/** The button as the container page uses it: the page reloads when `rotated` fires. */
@Component({
  imports: [RotatePasswordButtonComponent],
  template: `<bp-rotate-password-button
    [container]="{ id: 'c1', name: 'qa-box' }"
    [disabled]="disabled()"
    (rotated)="rotations = rotations + 1"
  />`,
})
class HostComponent {
  readonly disabled = signal(false);
  rotations = 0;
}

describe('RotatePasswordButtonComponent', () => {
  let http: HttpTestingController;
  let updates: Subject<Job>;

  function render() {
    updates = new Subject<Job>();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: JobTracker, useValue: { track: () => updates } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const host = fixture.nativeElement as HTMLElement;
    const rotateButton = () => host.querySelector('button') as HTMLButtonElement;
    const overlay = () => document.querySelector('.cdk-overlay-container') as HTMLElement;
    const dialogButton = (name: string) =>
      [...overlay().querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === name,
      ) as HTMLButtonElement;
    const ops = TestBed.inject(OperationsService);
    return { fixture, rotateButton, overlay, dialogButton, ops };
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    http.verify();
  });

  it('asks first, saying sessions end and clients need the new password, then runs the rotation job to its end', async () => {
    const { fixture, rotateButton, overlay, dialogButton, ops } = render();
    expect(rotateButton().textContent?.trim()).toBe('Rotate password');
    rotateButton().click();
    TestBed.tick();
    expect(overlay().textContent).toContain('Rotate the password of qa-box?');
    expect(overlay().textContent).toContain('Existing sessions end');
    expect(overlay().textContent).toContain('every client needs the new password');
    http.expectNone(`${API}/containers/c1/credentials/rotate`);

    dialogButton('Rotate').click();
    TestBed.tick();
    // The dialog answers once it has closed.
    const rotate = await vi.waitFor(() =>
      http.expectOne(`${API}/containers/c1/credentials/rotate`),
    );
    expect(rotate.request.method).toBe('POST');
    rotate.flush({ jobId: 'j-rotate' });
    await Promise.resolve();
    updates.next(
      aJob({ id: 'j-rotate', type: 'rotate-container-password', state: 'running', progress: 50 }),
    );
    expect(ops.operations()[0]).toMatchObject({
      label: 'Rotate password',
      state: 'running',
      progress: 50,
      jobId: 'j-rotate',
    });
    fixture.detectChanges();
    expect(rotateButton().disabled).toBe(true);
    expect(fixture.componentInstance.rotations).toBe(0);

    updates.next(
      aJob({
        id: 'j-rotate',
        type: 'rotate-container-password',
        state: 'succeeded',
        progress: 100,
      }),
    );
    updates.complete();
    await vi.waitFor(() => expect(fixture.componentInstance.rotations).toBe(1));
    expect(ops.operations()[0]).toMatchObject({
      state: 'succeeded',
      message: 'qa-box has a new password: the connection strings show it',
    });
    fixture.detectChanges();
    expect(rotateButton().disabled).toBe(false);
  });

  it('rotates nothing when the confirmation is cancelled', async () => {
    const { fixture, rotateButton, dialogButton } = render();
    rotateButton().click();
    TestBed.tick();
    dialogButton('Cancel').click();
    TestBed.tick();
    await vi.waitFor(() => expect(document.querySelector('mat-dialog-container')).toBeNull());
    http.expectNone(`${API}/containers/c1/credentials/rotate`);
    expect(fixture.componentInstance.rotations).toBe(0);
  });

  it('says why a rotation failed and does not report one', async () => {
    const { fixture, rotateButton, dialogButton, ops } = render();
    rotateButton().click();
    TestBed.tick();
    dialogButton('Rotate').click();
    TestBed.tick();
    const rotate = await vi.waitFor(() =>
      http.expectOne(`${API}/containers/c1/credentials/rotate`),
    );
    rotate.flush(
      { statusCode: 409, error: 'Conflict', message: 'container is locked by dev' },
      { status: 409, statusText: 'Conflict' },
    );
    await vi.waitFor(() =>
      expect(ops.operations()[0]).toMatchObject({
        state: 'failed',
        message: 'Rotate password failed: container is locked by dev',
      }),
    );
    expect(fixture.componentInstance.rotations).toBe(0);
  });

  it('is off when the page says the owner may not operate (e.g. locked by someone else)', () => {
    const { fixture, rotateButton } = render();
    fixture.componentInstance.disabled.set(true);
    fixture.detectChanges();
    expect(rotateButton().disabled).toBe(true);
  });
});
