import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { aContainer } from '../testing/fixtures';
import { ServerSettingsPanelComponent } from './server-settings-panel.component';

const API = '/api/v1';

describe('ServerSettingsPanelComponent', () => {
  let http: HttpTestingController;

  function render() {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ServerSettingsPanelComponent);
    fixture.componentRef.setInput(
      'container',
      aContainer({ id: 'c1', name: 'qa-box', serving: 'running', activeBranchId: 'b1' }),
    );
    fixture.componentRef.setInput('canOperate', true);
    fixture.detectChanges();
    return { fixture, text: () => (fixture.nativeElement as HTMLElement).textContent ?? '' };
  }

  afterEach(() => http.verify());

  it('lists what the owner changed and what waits for a restart', () => {
    const { fixture, text } = render();
    http
      .expectOne(`${API}/containers/c1/settings`)
      .flush({ branchId: 'b1', settings: { work_mem: '64MB' }, pendingRestart: ['work_mem'] });
    fixture.detectChanges();
    expect(text()).toContain('work_mem = 64MB');
    expect(text()).toContain('pending restart');
  });

  it('says the databases are starting when a server is on its way up, without an error', () => {
    const { fixture, text } = render();
    http
      .expectOne(`${API}/containers/c1/settings`)
      .flush({ message: 'no superuser session' }, { status: 502, statusText: 'Bad Gateway' });
    fixture.detectChanges();
    expect(text()).toContain('stopping or starting');
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')).toBeNull();
  });

  it('shows any other failure as an error', () => {
    const { fixture, text } = render();
    http
      .expectOne(`${API}/containers/c1/settings`)
      .flush({ message: 'boom' }, { status: 500, statusText: 'Internal Server Error' });
    fixture.detectChanges();
    expect(text()).toContain('Could not read the settings');
  });
});
