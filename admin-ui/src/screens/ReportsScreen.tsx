import { Card, CardBody, CardHeader, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecoveryReport } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { AsyncBlock, RefreshButton, useLoad } from '../components/async.tsx';
import { channelLabel } from '../components/channel-words.ts';
import { day, money } from '../components/shop-format.ts';
import { Stat } from '../components/Stat.tsx';
import { CustomerReports } from './reports/CustomerReports.tsx';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Per currency: a shop that changed currency has revenue in several. */
type Revenue = RecoveryReport['revenue'];
/** The numbers each row of the report has. */
type Counts = Pick<RecoveryReport['daily'][number], 'sent' | 'uniqueClicks' | 'clicks' | 'orders' | 'revenue'>;

/** "$24.99", or "$24.99 + €10.00" when revenue came in several currencies; nothing recovered is the shop's zero. */
const revenueInWords = (revenue: Revenue) => (revenue.length ? revenue.map((r) => money(r.amount, r.currency)).join(' + ') : money(0));

/** What recovery brought back: reminders, clicks, paid orders and revenue, by reminder and channel, per day. */
export function ReportsScreen() {
  const [days, setDays] = useState('30');
  const [refresh, setRefresh] = useState(0);
  // One period for every section, taken again on Refresh.
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - Number(days) * 86_400_000).toISOString(), to: to.toISOString() };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refresh takes "now" again
  }, [days, refresh]);
  const report = useLoad(
    () => api<RecoveryReport>('GET', `/api/reports/recovery?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`),
    `${range.from}|${range.to}`,
  );
  return (
    <div className="comeback-reports">
      <Card>
        <CardHeader>
          <SelectControl
            __nextHasNoMarginBottom
            label={__('Period', 'comeback')}
            value={days}
            options={
              [
                { label: __('Last 7 days', 'comeback'), value: '7' },
                { label: __('Last 30 days', 'comeback'), value: '30' },
                { label: __('Last 90 days', 'comeback'), value: '90' },
              ] as Array<{ label: string; value: string }>
            }
            onChange={setDays}
          />
          <RefreshButton onClick={() => setRefresh((n) => n + 1)} busy={report.loading} />
        </CardHeader>
        <CardBody>
          <AsyncBlock state={report}>
            {(r) => (
              <>
                <div className="comeback-stats" role="list">
                  <Stat label={__('Reminders sent', 'comeback')} value={String(r.remindersSent)} id="sent" />
                  <Stat label={__('Reminders clicked', 'comeback')} value={String(r.uniqueClicks)} id="unique-clicks" />
                  <Stat label={__('Clicks in all', 'comeback')} value={String(r.clicks)} id="clicks" />
                  <Stat label={__('Orders recovered', 'comeback')} value={String(r.ordersRecovered)} id="orders" />
                  <Stat label={__('Revenue recovered', 'comeback')} value={revenueInWords(r.revenue)} id="revenue" />
                </div>
                <DailyChart daily={r.daily} />
                <h3>{__('By reminder and channel', 'comeback')}</h3>
                {r.byReminder.length === 0 ? (
                  <p>{__('No reminders were sent in this period.', 'comeback')}</p>
                ) : (
                  <table className="comeback-table widefat striped" data-testid="by-reminder">
                    <thead>
                      <tr>
                        <th>{__('Reminder', 'comeback')}</th>
                        <th>{__('Channel', 'comeback')}</th>
                        <CountHeads />
                      </tr>
                    </thead>
                    <tbody>
                      {r.byReminder.map((b) => (
                        <tr key={`${b.step}|${b.channel}`}>
                          <td>{sprintf(__('Reminder %d', 'comeback'), b.step + 1)}</td>
                          <td>{channelLabel(b.channel)}</td>
                          <CountCells counts={b} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <p className="comeback-muted">
                  {__(
                    'Clicked: reminders a customer clicked, each counted once, on the day of its first click. Clicks in all: every click, repeats included.',
                    'comeback',
                  )}{' '}
                  {sprintf(__('Days in %s. An order counts when it is paid within 30 days of a reminder.', 'comeback'), r.timeZone)}
                </p>
              </>
            )}
          </AsyncBlock>
        </CardBody>
      </Card>
      <h2 className="comeback-reports__title">{__('Customers, win-back and campaigns', 'comeback')}</h2>
      <CustomerReports from={range.from} to={range.to} refresh={refresh} />
    </div>
  );
}

/**
 * The same columns in both tables: sent, clicked (each reminder once, at its first click), clicks
 * in all (repeats included), orders, revenue.
 */
function CountHeads() {
  return (
    <>
      <th>{__('Sent', 'comeback')}</th>
      <th>{__('Clicked', 'comeback')}</th>
      <th>{__('Clicks in all', 'comeback')}</th>
      <th>{__('Orders', 'comeback')}</th>
      <th>{__('Revenue', 'comeback')}</th>
    </>
  );
}

function CountCells({ counts }: { counts: Counts }) {
  return (
    <>
      <td>{counts.sent}</td>
      <td>{counts.uniqueClicks}</td>
      <td>{counts.clicks}</td>
      <td>{counts.orders}</td>
      <td>{revenueInWords(counts.revenue)}</td>
    </>
  );
}

/** Bars per day, with the numbers in a table beside them for screen readers and exact reading. */
function DailyChart({ daily }: { daily: RecoveryReport['daily'] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: daily.map((d) => day(d.day)),
        datasets: [
          { label: __('Reminders sent', 'comeback'), data: daily.map((d) => d.sent), backgroundColor: '#7f54b3' },
          { label: __('Reminders clicked', 'comeback'), data: daily.map((d) => d.uniqueClicks), backgroundColor: '#2271b1' },
          { label: __('Orders recovered', 'comeback'), data: daily.map((d) => d.orders), backgroundColor: '#00a32a' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [daily]);
  const active = daily.filter((d) => d.sent || d.clicks || d.orders);
  return (
    <div className="comeback-chart">
      <div className="comeback-chart__canvas">
        <canvas ref={canvas} role="img" aria-label={__('Reminders, clicks and recovered orders per day', 'comeback')} />
      </div>
      <table className="comeback-table widefat" data-testid="daily">
        <thead>
          <tr>
            <th>{__('Day', 'comeback')}</th>
            <CountHeads />
          </tr>
        </thead>
        <tbody>
          {active.length === 0 ? (
            <tr>
              <td colSpan={6}>{__('Nothing yet in this period.', 'comeback')}</td>
            </tr>
          ) : (
            active.map((d) => (
              <tr key={d.day}>
                <td>{day(d.day)}</td>
                <CountCells counts={d} />
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
