import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Container, Template, UsageEntry } from '../core/api/models';
import { BytesPipe, formatBytes } from '../shared/bytes.pipe';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { servingLabel, statusClass } from './container-status';

@Component({
  selector: 'bp-container-table',
  imports: [RouterLink, BytesPipe, ExpiryLabelComponent],
  template: `
    <div class="bp-card flush">
      <table class="bp-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Template</th>
            <th>Active branch</th>
            <th>Status</th>
            <th>Size</th>
            <th>Expiry</th>
            @if (showOwner()) {
              <th>Owner</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (c of containers(); track c.id) {
            <tr>
              <td>
                <a [routerLink]="['/containers', c.id]">{{ c.name }}</a>
                @if (c.lockedBy) {
                  <span class="bp-chip">locked</span>
                }
              </td>
              <td>{{ templateName(c) }}</td>
              <td>{{ activeBranch(c) }}</td>
              <td>
                <span [class]="'bp-status ' + statusClass(c.state)">{{ c.state }}</span>
                @if (c.serving !== 'running') {
                  <span class="bp-chip">{{ servingLabel(c.serving) }}</span>
                }
              </td>
              <td [title]="sizeTitle(c)">
                {{ usage() === null ? '…' : (size(c)?.physicalBytes | bytes) }}
              </td>
              <td><bp-expiry-label [item]="c" /></td>
              @if (showOwner()) {
                <td>{{ ownerNames(c) }}</td>
              }
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .flush {
      padding: 0;
      overflow: hidden;
    }
  `,
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
