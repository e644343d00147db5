import { Validators } from '@angular/forms';

/** An http:// or https:// URL (webhooks, storage agents); a mismatch is a `pattern` error. */
export const httpUrl = Validators.pattern(/^https?:\/\/\S+$/i);
