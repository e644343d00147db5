import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'bp:public';
export const ADMIN_ROUTE = 'bp:admin';

/** The route needs no token (health only). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The route is for admins; others get 403. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ROUTE, true);
