import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The admin UI build (admin-ui/, `npm run build`), the same files the plugin ships. */
export const ADMIN_UI_DIST = fileURLToPath(new URL('../../../admin-ui/dist/', import.meta.url));

/**
 * GET /admin/: the admin UI for installs without WordPress. The page itself is public (it holds
 * nothing); every call it makes carries the admin token the user signs in with. Its headers (never
 * framed, a content security policy without inline script) are http/security-headers.ts'; an
 * unbuilt checkout says how to build it rather than answering 404.
 */
export function adminUiRoutes(deps: { dist?: string } = {}): Router {
  const dist = deps.dist ?? ADMIN_UI_DIST;
  const router = Router();
  router.use('/admin', (req, res, next) => {
    // Relative asset URLs need the trailing slash.
    if (req.originalUrl === '/admin') return res.redirect(301, '/admin/');
    if (!existsSync(`${dist}index.html`)) {
      return res
        .status(503)
        .type('text/plain')
        .send('The admin UI is not built yet: run `npm run build` (or `npm run up`, which builds it).');
    }
    next();
  });
  router.use('/admin', express.static(dist, { index: 'index.html', fallthrough: false, maxAge: 0 }));
  return router;
}
