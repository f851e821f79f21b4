import { TabPanel } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { api } from './api.ts';
import { useLoad } from './components/async.tsx';
import { AlertsBanner } from './components/AlertsBanner.tsx';
import { ConnectionBanner, ConnectionScreen, type Connection } from './screens/ConnectionScreen.tsx';
import { OutboxScreen } from './screens/OutboxScreen.tsx';
import { QueueScreen } from './screens/QueueScreen.tsx';
import { FlowsScreen } from './screens/flows/FlowsScreen.tsx';
import { RecoveryScreen } from './screens/RecoveryScreen.tsx';
import { ReportsScreen } from './screens/ReportsScreen.tsx';

const TABS = [
  { name: 'flows', title: __('Flows', 'comeback') },
  { name: 'recovery', title: __('Recovery', 'comeback') },
  { name: 'queue', title: __('Queue', 'comeback') },
  { name: 'outbox', title: __('Outbox', 'comeback') },
  { name: 'reports', title: __('Reports', 'comeback') },
  { name: 'connection', title: __('Connection', 'comeback') },
];

/** The screens, as tabs the way WooCommerce's own settings are; open alerts and the connection banner above them all. */
export function App({ shopLabel, embedded = false }: { shopLabel?: string; embedded?: boolean }) {
  const connection = useLoad(() => api<Connection>('GET', '/api/shop/connection'), 'connection');
  const initial = TABS.some((t) => `#${t.name}` === window.location.hash) ? window.location.hash.slice(1) : 'flows';
  return (
    <div className="comeback-app">
      {/* In wp-admin the page already has its title. */}
      {!embedded && (
        <header className="comeback-header">
          <h1>{__('Comeback', 'comeback')}</h1>
          {shopLabel && <span className="comeback-muted">{shopLabel}</span>}
        </header>
      )}
      <AlertsBanner />
      <ConnectionBanner connection={connection} />
      <TabPanel className="comeback-tabs" tabs={TABS} initialTabName={initial} onSelect={(name) => history.replaceState(null, '', `#${name}`)}>
        {(tab) => {
          switch (tab.name) {
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
  );
}
