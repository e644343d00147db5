/** Every REST call of the UI goes to the control plane that served it, under this prefix. */
export const API_BASE = '/api/v1';
