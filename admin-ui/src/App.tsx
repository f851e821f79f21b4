import { TabPanel } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState, type MouseEvent } from 'react';
import type { ShopConnection } from '@comeback/sidecar/api-contracts';
import { api } from './api.ts';
import { useLoad } from './components/async.tsx';
import { AlertsBanner } from './components/AlertsBanner.tsx';
import { FirstRunChecklist } from './components/FirstRunChecklist.tsx';
import { ShopContext } from './components/segments.tsx';
import { applyShopFormats } from './components/shop-format.ts';
import { offeredLocales, ShopLanguages } from './components/languages.ts';
import { UnsavedChangesProvider, useLeave } from './components/unsaved-changes.tsx';
import { CampaignsScreen } from './screens/campaigns/CampaignsScreen.tsx';
import { ConnectionBanner, ConnectionScreen } from './screens/ConnectionScreen.tsx';
import { CustomersScreen } from './screens/customers/CustomersScreen.tsx';
import { LoyaltyScreen } from './screens/loyalty/LoyaltyScreen.tsx';
import { OutboxScreen } from './screens/OutboxScreen.tsx';
import { QueueScreen } from './screens/QueueScreen.tsx';
import { FlowsScreen } from './screens/flows/FlowsScreen.tsx';
import { RecoveryScreen } from './screens/RecoveryScreen.tsx';
import { ReportsScreen } from './screens/ReportsScreen.tsx';
import { SegmentsScreen } from './screens/segments/SegmentsScreen.tsx';
import { WinBackScreen } from './screens/winback/WinBackScreen.tsx';

const TABS = [
  { name: 'flows', title: __('Flows', 'comeback'), group: 'messages' },
  { name: 'recovery', title: __('Recovery', 'comeback'), group: 'messages' },
  { name: 'win-back', title: __('Win-back', 'comeback'), group: 'messages' },
  { name: 'campaigns', title: __('Campaigns', 'comeback'), group: 'messages' },
  { name: 'loyalty', title: __('Loyalty', 'comeback'), group: 'messages' },
  { name: 'customers', title: __('Customers', 'comeback'), group: 'customers' },
  { name: 'segments', title: __('Segments', 'comeback'), group: 'customers' },
  { name: 'queue', title: __('Queue', 'comeback'), group: 'activity' },
  { name: 'outbox', title: __('Outbox', 'comeback'), group: 'activity' },
  { name: 'reports', title: __('Reports', 'comeback'), group: 'activity' },
  { name: 'connection', title: __('Connection', 'comeback'), group: 'settings' },
];
/**
 * The screens in four groups, so the navigation fits a tablet (768 px) on two rows without
 * wrapping: the groups, then the chosen group's screens as tabs. Each screen keeps its own hash.
 */
const GROUPS = [
  { name: 'messages', title: __('Messages', 'comeback') },
  { name: 'customers', title: __('Customers', 'comeback') },
  { name: 'activity', title: __('Activity', 'comeback') },
  { name: 'settings', title: __('Settings', 'comeback') },
].map((g) => ({ ...g, tabs: TABS.filter((t) => t.group === g.name) }));
const groupOf = (tab: string) => GROUPS.find((g) => g.tabs.some((t) => t.name === tab)) ?? GROUPS[0]!;

/** Where a screen sends the merchant: a tab, and for Customers the segment to show. */
type Place = { tab: string; tag: string; visit: number };

/** The screens, as tabs the way WooCommerce's own settings are; open alerts and the connection banner above them all. */
export function App(props: { shopLabel?: string; embedded?: boolean }) {
  return (
    <UnsavedChangesProvider>
      <Screens {...props} />
    </UnsavedChangesProvider>
  );
}

function Screens({ shopLabel, embedded = false }: { shopLabel?: string; embedded?: boolean }) {
  const leave = useLeave();
  const connection = useLoad(() => api<ShopConnection>('GET', '/api/shop/connection'), 'connection');
  const [place, setPlace] = useState<Place>(() => ({
    tab: TABS.some((t) => `#${t.name}` === window.location.hash) ? window.location.hash.slice(1) : 'flows',
    tag: '',
    visit: 0,
  }));
  // TabPanel only takes its first tab: a move from a screen opens it again on the new tab.
  const go = (tab: string, tag = '') =>
    leave(() => {
      history.replaceState(null, '', `#${tab}`);
      setPlace((p) => ({ tab, tag, visit: p.visit + 1 }));
    });
  // TabPanel cannot refuse a tab: while edits are unsaved a click on another one is held here, and
  // goes on once the merchant leaves them (arrow keys only move the focus: selectOnMove is off).
  const guardTabs = (event: MouseEvent) => {
    if (!leave.unsaved()) return;
    const tab = (event.target as HTMLElement).closest<HTMLElement>('[role="tab"]');
    if (!tab || tab.getAttribute('aria-selected') === 'true') return;
    const name = TABS.find((t) => tab.id.endsWith(`-${t.name}`))?.name;
    if (!name) return;
    event.stopPropagation();
    event.preventDefault();
    go(name);
  };
  // The segment a screen sent the merchant with holds for that visit only: picking a tab forgets it.
  const select = (name: string) => {
    history.replaceState(null, '', `#${name}`);
    setPlace((p) => (p.tab === name ? p : { ...p, tab: name, tag: '' }));
  };
  const group = groupOf(place.tab);
  const Root = embedded ? 'div' : 'main';
  // Before the screens render: they print money and dates as the shop does.
  applyShopFormats(connection.data?.shop);
  return (
    <ShopContext.Provider value={{ currency: connection.data?.shop.currency ?? null }}>
      <ShopLanguages.Provider value={offeredLocales(connection.data, [])}>
        {/* The sidecar's own /admin page is ours: the app is its main landmark. In wp-admin, WordPress's #wpbody already is. */}
        <Root className="comeback-app">
          {/* In wp-admin the page already has its title. */}
          {!embedded && (
            <header className="comeback-header">
              <h1>{__('Comeback', 'comeback')}</h1>
              {shopLabel && <span className="comeback-muted">{shopLabel}</span>}
            </header>
          )}
          <AlertsBanner />
          <ConnectionBanner connection={connection} />
          <FirstRunChecklist seen={`${place.tab}:${place.visit}`} onOpen={(tab) => go(tab)} />
          <nav className="comeback-nav" aria-label={__('Comeback sections', 'comeback')}>
            {GROUPS.map((g) => (
              <button
                key={g.name}
                type="button"
                className="comeback-nav__group"
                data-tabs={g.tabs.map((t) => t.name).join(' ')}
                title={g.tabs.map((t) => t.title).join(', ')}
                aria-current={g === group ? 'true' : undefined}
                onClick={() => g !== group && go(g.tabs[0]!.name)}
              >
                {g.title}
              </button>
            ))}
          </nav>
          <div onClickCapture={guardTabs}>
            <TabPanel
              key={place.visit}
              className="comeback-tabs"
              tabs={group.tabs}
              initialTabName={place.tab}
              selectOnMove={false}
              onSelect={select}
            >
              {(tab) => {
                switch (tab.name) {
                  case 'customers':
                    return <CustomersScreen initialTag={place.tab === 'customers' ? place.tag : ''} />;
                  case 'segments':
                    return <SegmentsScreen onOpenSegment={(tag) => go('customers', tag)} />;
                  case 'win-back':
                    return <WinBackScreen />;
                  case 'loyalty':
                    return <LoyaltyScreen />;
                  case 'campaigns':
                    return <CampaignsScreen />;
                  case 'queue':
                    return <QueueScreen />;
                  case 'outbox':
                    return <OutboxScreen />;
                  case 'reports':
                    return <ReportsScreen />;
                  case 'connection':
                    return <ConnectionScreen connection={connection} />;
                  case 'recovery':
                    return <RecoveryScreen />;
                  default:
                    return <FlowsScreen />;
                }
              }}
            </TabPanel>
          </div>
        </Root>
      </ShopLanguages.Provider>
    </ShopContext.Provider>
  );
}
