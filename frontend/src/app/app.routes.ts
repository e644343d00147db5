import { Routes } from '@angular/router';
import { adminGuard, authGuard } from './core/auth/auth.guard';

export const routes: Routes = [
  {
    path: 'sign-in/sso',
    title: 'Signing in · Branchpoint',
    loadComponent: () =>
      import('./core/auth/sso-callback.component').then((m) => m.SsoCallbackComponent),
  },
  {
    path: 'sign-in',
    title: 'Sign in · Branchpoint',
    loadComponent: () => import('./core/auth/sign-in.component').then((m) => m.SignInComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'containers' },
      {
        path: 'containers',
        loadChildren: () => import('./containers/containers.routes').then((m) => m.routes),
      },
      {
        path: 'bookmarks',
        title: 'Bookmarks · Branchpoint',
        loadComponent: () =>
          import('./bookmarks/bookmarks-catalog.component').then(
            (m) => m.BookmarksCatalogComponent,
          ),
      },
      {
        path: 'bookmarks/:id',
        title: 'Bookmark · Branchpoint',
        loadComponent: () =>
          import('./bookmarks/bookmark-page.component').then((m) => m.BookmarkPageComponent),
      },
      {
        path: 'previews/:id',
        title: 'Preview · Branchpoint',
        loadComponent: () =>
          import('./previews/preview-page.component').then((m) => m.PreviewPageComponent),
      },
      {
        path: 'diffs/:id',
        title: 'Compare · Branchpoint',
        loadComponent: () => import('./diffs/diff-page.component').then((m) => m.DiffPageComponent),
      },
      {
        path: 'rebases/:id',
        title: 'Rebase · Branchpoint',
        loadComponent: () =>
          import('./diffs/rebase-page.component').then((m) => m.RebasePageComponent),
      },
      {
        path: 'settings/notifications',
        title: 'Notifications · Branchpoint',
        loadComponent: () =>
          import('./settings/notifications.component').then((m) => m.NotificationsComponent),
      },
      {
        path: 'account',
        title: 'Your account · Branchpoint',
        loadComponent: () => import('./account/account.component').then((m) => m.AccountComponent),
      },
      {
        path: 'usage',
        title: 'Usage · Branchpoint',
        loadComponent: () => import('./usage/usage.component').then((m) => m.UsageComponent),
      },
      {
        path: 'admin',
        title: 'Admin · Branchpoint',
        canActivate: [adminGuard],
        loadComponent: () => import('./admin/admin.component').then((m) => m.AdminComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'containers' },
];
