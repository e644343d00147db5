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
  templateUrl: './operations-panel.component.html',
  styleUrl: './operations-panel.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OperationsPanelComponent {
  protected readonly ops = inject(OperationsService);
}
