import { __, sprintf } from '@wordpress/i18n';
import type { CustomerProfile as Profile } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { AsyncBlock, useLoad, when } from '../../components/async.tsx';
import { money } from '../../components/shop-format.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The customer's loyalty profile beside their order facts; a customer no program spoke of has none. */
export function CustomerProfile({ email }: { email: string }) {
  const profile = useLoad(() => api<Profile>('GET', `/api/customers/${encodeURIComponent(email)}/profile`), email);
  if (profile.error?.status === 404)
    return (
      <p className="comeback-muted" data-testid="no-profile">
        {__('No loyalty program has told Comeback about this customer yet.', 'comeback')}
      </p>
    );
  return (
    <AsyncBlock state={profile}>
      {(p) => {
        const facts: Array<[string, string]> = [
          [__('First name', 'comeback'), p.firstName ?? '—'],
          [__('Language', 'comeback'), p.language ?? '—'],
          [__('Time zone', 'comeback'), p.timeZone ?? '—'],
          [__('Birthday', 'comeback'), p.birthday ? `${pad(p.birthday.day)}.${pad(p.birthday.month)}.` : '—'],
          [__('Points', 'comeback'), p.points === null ? '—' : String(p.points)],
          [__('Cashback', 'comeback'), money(p.cashback, p.cashbackCurrency)],
        ];
        return (
          <>
            <dl className="comeback-facts" data-testid="customer-profile">
              {facts.map(([label, value]) => (
                <div key={label} style={{ display: 'contents' }}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
              {p.portalUrl && (
                <>
                  <dt>{__('Loyalty account', 'comeback')}</dt>
                  <dd>
                    <a href={p.portalUrl} target="_blank" rel="noreferrer noopener">
                      {new URL(p.portalUrl).host}
                    </a>
                  </dd>
                </>
              )}
            </dl>
            <p className="comeback-muted">{sprintf(__('Last told %s.', 'comeback'), when(p.updatedAt))}</p>
          </>
        );
      }}
    </AsyncBlock>
  );
}
