import { Button, Card, CardBody, Notice, SelectControl, Spinner, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ShopList } from '@comeback/sidecar/api-contracts';
import { api, setHost } from './api.ts';
import { App } from './App.tsx';
import { asApiError } from './components/async.tsx';
import { chooseLanguage, ENGLISH, languageName, sidecarLanguages, type Language } from './i18n.ts';

type Shop = ShopList['items'][number];
declare global {
  interface Window {
    /** Set by the WordPress plugin when it enqueues this build under WooCommerce → Comeback. */
    comebackAdmin?: { root: string; nonce: string; shop?: string };
  }
}

const TOKEN_KEY = 'comeback.adminToken';
const SHOP_KEY = 'comeback.shopId';

/** Served by the sidecar: sign in with the admin token (a #token=… link from the console works too), pick a shop and a language. */
function SidecarRoot({ language }: { language: LanguageChoice }) {
  const [token, setToken] = useState<string | null>(() => takeTokenFromLink() ?? sessionStorage.getItem(TOKEN_KEY));
  const [shops, setShops] = useState<Shop[] | null>(null);
  const [shopId, setShopId] = useState<number | null>(() => Number(sessionStorage.getItem(SHOP_KEY)) || null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    setHost({ kind: 'sidecar', token, shopId: null });
    api<ShopList>('GET', '/api/shops').then(
      ({ items }) => {
        sessionStorage.setItem(TOKEN_KEY, token);
        setShops(items);
        setShopId((current) => (items.some((s) => s.id === current) ? current : (items[0]?.id ?? null)));
      },
      (e: unknown) => {
        const problem = asApiError(e);
        sessionStorage.removeItem(TOKEN_KEY);
        setToken(null);
        setError(problem.status === 401 ? __('That admin token was not accepted.', 'comeback') : problem.message);
      },
    );
  }, [token]);

  if (!token) return <SignIn error={error} language={language} onToken={(t) => (setError(null), setToken(t))} />;
  if (!shops) {
    return (
      <div className="comeback-loading" role="status">
        <Spinner /> {__('Signing in…', 'comeback')}
      </div>
    );
  }
  if (shopId === null) {
    return (
      <Notice status="info" isDismissible={false}>
        {__(
          'No shop is connected to this Comeback yet. Connect one from the WordPress plugin (WooCommerce → Comeback) or with POST /api/shops.',
          'comeback',
        )}
      </Notice>
    );
  }
  setHost({ kind: 'sidecar', token, shopId });
  sessionStorage.setItem(SHOP_KEY, String(shopId));
  const shop = shops.find((s) => s.id === shopId)!;
  return (
    <>
      <div className="comeback-shop-picker">
        {shops.length > 1 && (
          <SelectControl
            __nextHasNoMarginBottom
            label={__('Shop', 'comeback')}
            value={String(shopId)}
            options={shops.map((s) => ({ value: String(s.id), label: s.name ?? s.url }))}
            onChange={(v) => setShopId(Number(v))}
          />
        )}
        <LanguageSelect language={language} />
      </div>
      <App key={shopId} shopLabel={`${shop.name ?? shop.url}${shop.demo ? ` · ${__('demo shop', 'comeback')}` : ''}`} />
    </>
  );
}

function takeTokenFromLink(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return decodeURIComponent(match[1]!);
}

type LanguageChoice = { languages: Language[]; locale: string };

/** The admin's language, each in its own name; a change starts the page again in it. */
function LanguageSelect({ language }: { language: LanguageChoice }) {
  if (language.languages.length === 0) return null;
  return (
    <SelectControl
      __nextHasNoMarginBottom
      className="comeback-language"
      label={__('Language', 'comeback')}
      value={language.locale}
      options={[{ locale: ENGLISH, tag: 'en' }, ...language.languages].map((l) => ({ value: l.locale, label: languageName(l.tag) }))}
      onChange={chooseLanguage}
    />
  );
}

function SignIn({ error, language, onToken }: { error: string | null; language: LanguageChoice; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <Card className="comeback-signin">
      <CardBody>
        <h1>{__('Comeback', 'comeback')}</h1>
        <LanguageSelect language={language} />
        {error && (
          <Notice status="error" isDismissible={false}>
            {error}
          </Notice>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (value.trim()) onToken(value.trim());
          }}
        >
          <TextControl
            __nextHasNoMarginBottom
            type="password"
            label={__('Admin token', 'comeback')}
            help={__(
              'The COMEBACK_ADMIN_TOKEN setting; on embedded defaults, the token in the admin-token file of Comeback’s home folder (.comeback/admin-token; the log says where at start).',
              'comeback',
            )}
            value={value}
            onChange={setValue}
            autoComplete="current-password"
          />
          <Button variant="primary" type="submit">
            {__('Sign in', 'comeback')}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}

/** The app on the page, in wp-admin or served by the sidecar (main.tsx calls it once the language is set). */
export function render(mount: HTMLElement): void {
  const wordpress = window.comebackAdmin;
  if (wordpress) setHost({ kind: 'wordpress', root: wordpress.root, nonce: wordpress.nonce });
  createRoot(mount).render(
    <StrictMode>{wordpress ? <App shopLabel={wordpress.shop} embedded /> : <SidecarRoot language={sidecarLanguages()} />}</StrictMode>,
  );
}
