import { Validators } from '@angular/forms';

/** An http:// or https:// URL (webhooks); a mismatch is a `pattern` error. */
export const httpUrl = Validators.pattern(/^https?:\/\/\S+$/i);

/** An https:// URL (storage agents serve HTTPS only); a mismatch is a `pattern` error. */
export const httpsUrl = Validators.pattern(/^https:\/\/\S+$/i);
