import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Containers · Branchpoint',
    loadComponent: () =>
      import('./containers-list.component').then((m) => m.ContainersListComponent),
  },
  {
    path: ':id',
    title: 'Container · Branchpoint',
    loadComponent: () => import('./container-page.component').then((m) => m.ContainerPageComponent),
  },
];
