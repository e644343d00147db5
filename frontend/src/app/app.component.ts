import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { EMPTY, switchMap } from 'rxjs';
import { AuthService } from './core/auth/auth.service';
import { OperationsService } from './core/jobs/operations.service';
import { ContainerMoved, ExpiryWarning, SocketEvents } from './core/socket/socket-events';
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
    this.whileSignedIn<ExpiryWarning>(SocketEvents.expiryWarning).subscribe((w) =>
      this.ops.notify(
        'Expiry',
        `${KIND_LABELS[w.kind]} “${w.name}” will be deleted on ${date.transform(w.expiresAt, 'medium')}.`,
      ),
    );
    // So does the news that a container moved: its clients must reconnect to the new address.
    this.whileSignedIn<ContainerMoved>(SocketEvents.containerMoved).subscribe((m) =>
      this.ops.notify(
        'Moved',
        `Container “${m.name}” moved from host ${m.fromHost} to ${m.toHost}: its connection string changed (${m.endpoints.map((e) => `${e.source} at ${e.host}:${e.port ?? '-'}`).join(', ')}).`,
      ),
    );
  }

  /** The event's pushes while someone is signed in (call in the constructor). */
  private whileSignedIn<T>(event: string) {
    return toObservable(this.auth.user).pipe(
      switchMap((user) => (user ? this.socket.on<T>(event) : EMPTY)),
      takeUntilDestroyed(),
    );
  }

  signOut(): void {
    this.auth.signOut();
  }
}
