import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Headers on every answer: a Content-Security-Policy that lets the UI load only its own
 * scripts (no inline script, no other origin, no framing), plus helmet's usual set (nosniff,
 * no referrer across origins, HSTS over HTTPS). Inline styles stay allowed: Angular adds
 * component styles as <style> elements. The UI build keeps critical CSS in files (angular.json
 * `inlineCritical: false`), as inlining it adds an inline onload handler.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The UI embeds nothing from other origins; COEP would only break the API docs' assets.
    crossOriginEmbedderPolicy: false,
  });
}
