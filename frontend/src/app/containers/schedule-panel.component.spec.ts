import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SchedulePanelComponent } from './schedule-panel.component';

const URL = '/api/v1/containers/c1/schedule';
const NIGHTS = {
  scope: 'user',
  stop: '0 20 * * 1-5',
  start: '0 7 * * 1-5',
  timeZone: 'Europe/Berlin',
  nextStopAt: '2026-12-07T19:00:00.000Z',
  nextStartAt: '2026-12-08T06:00:00.000Z',
};

describe('SchedulePanelComponent', () => {
  let http: HttpTestingController;
  let root: HTMLElement;

  async function render(canEdit: boolean, answer: object) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SchedulePanelComponent);
    fixture.componentRef.setInput('containerId', 'c1');
    fixture.componentRef.setInput('canEdit', canEdit);
    root = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne(URL).flush(answer);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    return fixture;
  }

  it("shows the next stop and start of the owner's default, without a form for viewers", async () => {
    await render(false, NIGHTS);
    expect(root.querySelector('.next')?.textContent).toContain('Next stop');
    expect(root.textContent).toContain("The owner's default");
    expect(root.textContent).toContain('0 20 * * 1-5');
    expect(root.querySelector('form')).toBeNull();
  });

  it('says when there is none, and lets the owner save one', async () => {
    const fixture = await render(true, {
      scope: 'none',
      stop: null,
      start: null,
      timeZone: null,
      nextStopAt: null,
      nextStartAt: null,
    });
    expect(root.textContent).toContain('No schedule');
    const input = (name: string, value: string) => {
      const element = root.querySelector(`input[name=${name}]`) as HTMLInputElement;
      element.value = value;
      element.dispatchEvent(new Event('input'));
    };
    input('stop', '0 20 * * 1-5');
    input('start', '0 7 * * 1-5');
    input('timeZone', 'Europe/Berlin');
    fixture.detectChanges();
    (root.querySelector('button[type=submit]') as HTMLButtonElement).click();
    const put = http.expectOne((request) => request.method === 'PUT' && request.url === URL);
    expect(put.request.body).toEqual({
      stop: '0 20 * * 1-5',
      start: '0 7 * * 1-5',
      timeZone: 'Europe/Berlin',
    });
    put.flush({ ...NIGHTS, scope: 'container' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.textContent).toContain('Its own schedule');
  });
});
