import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { EMPTY, switchMap } from 'rxjs';
import { AuthService } from './core/auth/auth.service';
import { OperationsService } from './core/jobs/operations.service';
import { ExpiryWarning, SocketEvents } from './core/socket/socket-events';
import { SocketService } from './core/socket/socket.service';
import { IconComponent } from './shared/icon.component';
import { OperationsPanelComponent } from './shared/operations-panel.component';

const KIND_LABELS: Record<ExpiryWarning['kind'], string> = {
  container: 'Container',
  branch: 'Branch',
  bookmark: 'Bookmark',
};

@Component({
  selector: 'bp-root',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButtonModule,
    MatMenuModule,
    IconComponent,
    OperationsPanelComponent,
  ],
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppComponent {
  protected readonly auth = inject(AuthService);
  private readonly socket = inject(SocketService);
  private readonly ops = inject(OperationsService);

  constructor() {
    // Expiry warnings reach a signed-in user on whatever page they are.
    const date = new DatePipe('en-US');
    toObservable(this.auth.user)
      .pipe(
        switchMap((user) =>
          user ? this.socket.on<ExpiryWarning>(SocketEvents.expiryWarning) : EMPTY,
        ),
        takeUntilDestroyed(),
      )
      .subscribe((w) =>
        this.ops.notify(
          'Expiry',
          `${KIND_LABELS[w.kind]} “${w.name}” will be deleted on ${date.transform(w.expiresAt, 'medium')}.`,
        ),
      );
  }

  signOut(): void {
    this.auth.signOut();
  }
}
