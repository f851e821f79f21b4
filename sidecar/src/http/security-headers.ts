import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers of every express answer (helmet): nosniff, no referrer (customer links carry
 * tokens in their path), never framed (X-Frame-Options DENY and frame-ancestors 'none': a customer
 * page or the admin inside another site's frame is a clickjacking target), and a content
 * security policy by what is served:
 * - /admin, the built React app: scripts and styles only from itself (no inline script; inline
 *   styles stay allowed for React's style props and the email previews' srcdoc frames, which
 *   inherit this policy), images from itself, data: or https (a message's pictures), calls only
 *   to itself;
 * - everything else (customer pages /r, /u, /nps, the dev outbox, JSON): no script at all, inline
 *   styles, forms posting back to this origin.
 * HSTS is left to whoever terminates TLS; upgrade-insecure-requests is off (a development
 * sidecar on plain http must load its own assets).
 */
export function securityHeaders(): RequestHandler {
  const common = {
    referrerPolicy: { policy: 'no-referrer' as const },
    frameguard: { action: 'deny' as const },
    strictTransportSecurity: false,
  };
  const admin = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  const pages = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['https:', 'data:'],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  return (req, res, next) => (req.path === '/admin' || req.path.startsWith('/admin/') ? admin : pages)(req, res, next);
}
