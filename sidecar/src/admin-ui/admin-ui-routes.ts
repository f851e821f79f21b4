import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { AppError } from '../errors.ts';
import { isRightToLeft, languageTag, localeData, shippedLocales } from '../i18n/translations.ts';

/** The admin UI build (admin-ui/, `npm run build`), the same files the plugin ships. */
export const ADMIN_UI_DIST = fileURLToPath(new URL('../../../admin-ui/dist/', import.meta.url));

/**
 * GET /admin/: the admin UI for installs without WordPress. The page itself is public (it holds
 * nothing); every call it makes carries the admin token the user signs in with. Its headers (never
 * framed, a content security policy without inline script) are http/security-headers.ts'; an
 * unbuilt checkout says how to build it rather than answering 404.
 *
 * Its languages, public too (the sign-in screen is translated): GET /admin/i18n/ lists the shipped
 * translations (plugin/languages/comeback-<locale>.po) with their language tag and direction, and
 * GET /admin/i18n/<locale>.json answers one in the Jed format the UI hands to @wordpress/i18n's
 * setLocaleData (admin-ui/src/i18n.ts picks it: the merchant's choice, else the browser's). Both
 * revalidate (no-cache and an ETag): a new release's translations show at the next load.
 */
export function adminUiRoutes(deps: { dist?: string } = {}): Router {
  const dist = deps.dist ?? ADMIN_UI_DIST;
  const router = Router();
  router.get('/admin/i18n/', (_req, res) => {
    const languages = shippedLocales().map((locale) => ({ locale, tag: languageTag(locale), rtl: isRightToLeft(locale) }));
    res.set('cache-control', 'no-cache').json({ languages });
  });
  router.get('/admin/i18n/:file', (req, res) => {
    const locale = /^(.+)\.json$/.exec(req.params.file)?.[1];
    const data = locale ? localeData(locale) : null;
    if (!data) throw AppError.notFound('no translation ships for that language');
    // The one answer here worth an ETag (the app turns them off): the same catalogue every load until a release.
    const body = JSON.stringify(data);
    res.set({ 'cache-control': 'no-cache', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    if (req.fresh) return res.status(304).end();
    res.type('json').send(body);
  });
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
