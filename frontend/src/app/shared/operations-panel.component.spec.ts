import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { Operation, OperationsService } from '../core/jobs/operations.service';
import { OperationsPanelComponent } from './operations-panel.component';

function render(operations: Operation[]) {
  const toggleLog = vi.fn();
  const dismiss = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([{ path: '**', children: [] }]),
      {
        provide: OperationsService,
        useValue: { operations: signal(operations), toggleLog, dismiss },
      },
    ],
  });
  const fixture = TestBed.createComponent(OperationsPanelComponent);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  return { fixture, host, button, toggleLog, dismiss };
}

describe('OperationsPanelComponent', () => {
  it('offers the log of a failed job and shows its lines when open', () => {
    const failed: Operation = {
      key: 1,
      label: 'Activate',
      state: 'failed',
      progress: 60,
      message: 'Activate failed: hook 1 failed',
      jobId: 'j1',
    };
    const closed = render([failed]);
    expect(closed.host.querySelector('[role=log]')).toBeNull();
    closed.button('Show log')!.click();
    expect(closed.toggleLog).toHaveBeenCalledWith(1);

    TestBed.resetTestingModule();
    const open = render([
      { ...failed, logOpen: true, log: ['stopping default', 'hook 1: ERROR: boom'] },
    ]);
    const log = open.host.querySelector('[role=log]');
    expect(log?.getAttribute('aria-label')).toBe('Activate log');
    expect([...log!.children].map((line) => line.textContent)).toEqual([
      'stopping default',
      'hook 1: ERROR: boom',
    ]);
    expect(open.button('Hide log')?.getAttribute('aria-expanded')).toBe('true');
  });

  it('has no log button for what is not a job', () => {
    const { button } = render([
      { key: 1, label: 'Share', state: 'succeeded', progress: 100, message: 'Shared' },
    ]);
    expect(button('Show log')).toBeUndefined();
  });

  it('offers the page a success links to, and hides the link once that page is open', async () => {
    const { fixture, host, dismiss } = render([
      {
        key: 1,
        label: 'Activate',
        state: 'succeeded',
        progress: 100,
        message: 'bug-4711-data is active',
        link: { label: 'Open dev-box', commands: ['/containers', 'c-dev'] },
      },
    ]);
    const link = host.querySelector('a')!;
    expect(link.textContent?.trim()).toBe('Open dev-box');
    expect(link.getAttribute('href')).toBe('/containers/c-dev');
    // The link's row carries `here` (hidden) while the linked page is open.
    expect(link.parentElement!.classList).not.toContain('here');

    await TestBed.inject(Router).navigateByUrl('/containers/c-dev');
    fixture.detectChanges();
    expect(link.parentElement!.classList).toContain('here');
    link.click();
    expect(dismiss).toHaveBeenCalledWith(1);
  });
});
