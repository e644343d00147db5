import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Container, Template, UsageEntry } from '../core/api/models';
import { BytesPipe, formatBytes } from '../shared/bytes.pipe';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { servingLabel, statusClass } from './container-status';

@Component({
  selector: 'bp-container-table',
  imports: [RouterLink, BytesPipe, ExpiryLabelComponent],
  templateUrl: './container-table.component.html',
  styleUrl: './container-table.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContainerTableComponent {
  readonly containers = input.required<Container[]>();
  readonly templates = input<Template[]>([]);
  readonly showOwner = input(false);
  /** Usage per container, for the size column. */
  readonly usage = input<UsageEntry[] | null>(null);
  protected readonly statusClass = statusClass;
  protected readonly servingLabel = servingLabel;

  protected templateName(c: Container): string {
    const name = this.templates().find((t) => t.id === c.templateId)?.name;
    return name ? `${name} ${c.templateVersion}` : c.templateVersion;
  }

  protected activeBranch(c: Container): string {
    return c.branches?.find((b) => b.id === c.activeBranchId)?.name ?? '—';
  }

  protected size(c: Container): UsageEntry | undefined {
    return this.usage()?.find((u) => u.id === c.id);
  }

  protected sizeTitle(c: Container): string {
    const u = this.size(c);
    return u
      ? `Stored: ${formatBytes(u.physicalBytes)}; as a full copy it would take ${formatBytes(u.logicalBytes)}`
      : '';
  }

  protected ownerNames(c: Container): string {
    return c.owners.map((o) => o.username).join(', ');
  }
}
