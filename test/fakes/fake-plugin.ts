import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { defaultShopFormats } from '../../sidecar/src/messages/shop-formats.ts';

export type FakePlugin = {
  /** The plugin's link base (the shop's home URL): `?rest_route=/comeback/v1/shop-profile` answers the profile. */
  url: string;
  /** While true the plugin is gone: WordPress answers the route as it does for a deleted plugin (404 rest_no_route). */
  gone: boolean;
  /** Profile requests answered, signed or not. */
  requests: number;
  close(): Promise<void>;
};

const PROFILE_ROUTE = '/comeback/v1/shop-profile';

/**
 * The Comeback plugin's signed profile endpoint as a shop serves it (plugin/includes: GET
 * /wp-json/comeback/v1/shop-profile, signed sidecar-to-plugin with the shared secret), and what
 * WordPress answers once the plugin's files are deleted: `rest_no_route`, 404
 * (wp-includes/rest-api/class-wp-rest-server.php, WP_REST_Server::dispatch).
 */
export async function startFakePlugin(secret: string, name = 'Fixture Shop'): Promise<FakePlugin> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://plugin.test');
    api.requests++;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    if (url.searchParams.get('rest_route') !== PROFILE_ROUTE || api.gone)
      return send(404, {
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
        data: { status: 404 },
      });
    const t = /t=(\d+)/.exec(String(req.headers['x-comeback-signature'] ?? ''))?.[1];
    const expected = signRequest(secret, { direction: 'sidecar-to-plugin', method: 'GET', path: PROFILE_ROUTE, body: '' }, Number(t));
    if (!t || req.headers['x-comeback-signature'] !== expected)
      return send(401, { code: 'comeback_bad_signature', message: 'Signature missing or invalid.', data: { status: 401 } });
    send(200, { name, company: { name, address: ['1 Test Street'], bankAccounts: [] }, formats: defaultShopFormats });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api: FakePlugin = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    gone: false,
    requests: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return api;
}
