import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { ExpiryAdminComponent } from './expiry-admin.component';
import { HostsAdminComponent } from './hosts-admin.component';
import { OutboundAdminComponent } from './outbound-admin.component';
import { PullRequestsAdminComponent } from './pull-requests-admin.component';
import { QuotaEditorComponent } from './quota-editor.component';
import { ReconciliationAdminComponent } from './reconciliation-admin.component';
import { TemplatesAdminComponent } from './templates-admin.component';
import { UsersAdminComponent } from './users-admin.component';

@Component({
  selector: 'bp-admin',
  imports: [
    MatTabsModule,
    ExpiryAdminComponent,
    HostsAdminComponent,
    OutboundAdminComponent,
    PullRequestsAdminComponent,
    QuotaEditorComponent,
    ReconciliationAdminComponent,
    TemplatesAdminComponent,
    UsersAdminComponent,
  ],
  template: `
    <div class="bp-page">
      <div class="bp-page-header"><h1>Admin</h1></div>
      <mat-tab-group animationDuration="0ms" mat-stretch-tabs="false">
        <mat-tab label="Hosts"><bp-hosts-admin /></mat-tab>
        <mat-tab label="Templates"><bp-templates-admin /></mat-tab>
        <mat-tab label="Pull requests"><bp-pull-requests-admin /></mat-tab>
        <mat-tab label="Users"><bp-users-admin /></mat-tab>
        <mat-tab label="Expiry"><bp-expiry-admin /></mat-tab>
        <mat-tab label="Quotas"><bp-quota-editor /></mat-tab>
        <mat-tab label="Outbound"><bp-outbound-admin /></mat-tab>
        <mat-tab label="Reconciliation"><bp-reconciliation-admin /></mat-tab>
      </mat-tab-group>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminComponent {}
