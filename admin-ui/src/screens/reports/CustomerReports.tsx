import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { CustomerReport } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { AsyncBlock, useLoad } from '../../components/async.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { channelLabel } from '../../components/channel-words.ts';
import { segmentName } from '../../components/segments.tsx';
import { money } from '../../components/shop-format.ts';
import { Stat } from '../../components/Stat.tsx';

/** A share as the API gives it (0–1) in per cent. */
export const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)} %`;
const rate = (part: number, whole: number) => (whole ? part / whole : null);
/** Summed over the flows that have a hold-out to compare with; none: nothing to say. */
function extraOrders(flows: CustomerReport['byFlow']): string {
  const compared = flows.filter((f) => f.incrementalOrders !== null);
  return compared.length ? String(Math.round(compared.reduce((n, f) => n + f.incrementalOrders!, 0) * 10) / 10) : '—';
}

/** Flows against their hold-out, coupons and revenue by segment, for the period the recovery report shows. */
export function CustomerReports({ from, to, refresh }: { from: string; to: string; refresh: number }) {
  const report = useLoad(
    () => api<CustomerReport>('GET', `/api/reports/customers?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
    `${from}|${to}|${refresh}`,
  );
  return (
    <AsyncBlock state={report}>
      {(r) => {
        const names = Object.fromEntries(r.byFlow.map((f) => [f.flow, f.name]));
        const flowName = (key: string | null) => (key === null ? __('(flow removed)', 'comeback') : (names[key] ?? key));
        return (
          <>
            <Card className="comeback-flow-card" data-testid="report-uplift">
              <CardHeader>
                <h3>{__('What each flow brought, against its hold-out', 'comeback')}</h3>
              </CardHeader>
              <CardBody>
                <div className="comeback-stats" role="list">
                  <Stat id="repurchases" label={__('Repeat purchases', 'comeback')} value={String(r.repurchases)} />
                  <Stat id="incremental-orders" label={__('Extra orders against the hold-out', 'comeback')} value={extraOrders(r.byFlow)} />
                </div>
                {r.byFlow.length === 0 ? (
                  <p>{__('No customer entered a flow in this period.', 'comeback')}</p>
                ) : (
                  <div className="comeback-chart comeback-chart--stacked">
                    <BarChart
                      testId="uplift-chart"
                      label={__('Conversion of the customers messaged against the hold-out, per flow', 'comeback')}
                      labels={r.byFlow.map((f) => f.name)}
                      unit=" %"
                      series={[
                        {
                          label: __('Messaged', 'comeback'),
                          values: r.byFlow.map((f) => Number(((f.conversion ?? 0) * 100).toFixed(2))),
                          color: '#7f54b3',
                        },
                        {
                          label: __('Hold-out', 'comeback'),
                          values: r.byFlow.map((f) => Number(((f.heldOutConversion ?? 0) * 100).toFixed(2))),
                          color: '#c3c4c7',
                        },
                      ]}
                    />
                    <table className="comeback-table widefat" data-testid="by-flow">
                      <thead>
                        <tr>
                          <th>{__('Flow', 'comeback')}</th>
                          <th>{__('Messaged', 'comeback')}</th>
                          <th>{__('Held out', 'comeback')}</th>
                          <th>{__('Conversion', 'comeback')}</th>
                          <th>{__('Hold-out conversion', 'comeback')}</th>
                          <th>{__('Extra revenue', 'comeback')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.byFlow.map((f) => (
                          <tr key={f.flow} data-flow={f.flow}>
                            <td>{f.name}</td>
                            <td>{f.messaged}</td>
                            <td>{f.heldOut}</td>
                            <td>{percent(f.conversion)}</td>
                            <td>{percent(f.heldOutConversion)}</td>
                            <td>{money(f.incrementalRevenue)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                <p className="comeback-muted">
                  {__(
                    'Messaged: customers a message of the flow reached ([Test] sends and customers who left before their first message are not counted); held out: those kept from a step instead. Conversion: the share who paid an order after that, within the attribution window; each paid order counts once, for the last message (or held-out step) before it. The hold-out got no messages, so the difference is what the messages brought; a flow without a hold-out (set one in the flow) has nothing to compare with.',
                    'comeback',
                  )}
                </p>
              </CardBody>
            </Card>

            <Card className="comeback-flow-card" data-testid="report-coupons">
              <CardHeader>
                <h3>{__('Coupons', 'comeback')}</h3>
              </CardHeader>
              <CardBody>
                <div className="comeback-stats" role="list">
                  <Stat id="coupons-issued" label={__('Coupons issued', 'comeback')} value={String(r.coupons.issued)} />
                  <Stat id="coupons-redeemed" label={__('Redeemed', 'comeback')} value={String(r.coupons.redeemed)} />
                  <Stat
                    id="coupons-rate"
                    label={__('Redemption rate', 'comeback')}
                    value={percent(rate(r.coupons.redeemed, r.coupons.issued))}
                  />
                  <Stat id="coupons-revenue" label={__('Revenue of orders with them', 'comeback')} value={money(r.coupons.revenue)} />
                </div>
                {r.coupons.byFlow.length > 0 && (
                  <table className="comeback-table widefat striped" data-testid="coupons-by-flow">
                    <thead>
                      <tr>
                        <th>{__('Flow', 'comeback')}</th>
                        <th>{__('Step', 'comeback')}</th>
                        <th>{__('Issued', 'comeback')}</th>
                        <th>{__('Redeemed', 'comeback')}</th>
                        <th>{__('Rate', 'comeback')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.coupons.byFlow.map((c) => (
                        <tr key={`${c.flow}|${c.step}`}>
                          <td>{flowName(c.flow)}</td>
                          <td>{c.step === null ? '—' : sprintf(__('Step %d', 'comeback'), c.step + 1)}</td>
                          <td>{c.issued}</td>
                          <td>{c.redeemed}</td>
                          <td>{percent(rate(c.redeemed, c.issued))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </CardBody>
            </Card>

            <Card className="comeback-flow-card" data-testid="report-segments">
              <CardHeader>
                <h3>{__('Revenue by segment', 'comeback')}</h3>
              </CardHeader>
              <CardBody>
                {r.bySegment.length === 0 ? (
                  <p>{__('No orders from customers in a segment in this period.', 'comeback')}</p>
                ) : (
                  <div className="comeback-chart">
                    <BarChart
                      testId="segment-chart"
                      horizontal
                      label={__('Revenue per segment', 'comeback')}
                      labels={r.bySegment.map((s) => segmentName(s.tag))}
                      series={[{ label: __('Revenue', 'comeback'), values: r.bySegment.map((s) => Number(s.revenue)), color: '#00a32a' }]}
                    />
                    <table className="comeback-table widefat" data-testid="by-segment">
                      <thead>
                        <tr>
                          <th>{__('Segment', 'comeback')}</th>
                          <th>{__('Orders', 'comeback')}</th>
                          <th>{__('Revenue', 'comeback')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.bySegment.map((s) => (
                          <tr key={s.tag} data-segment={s.tag}>
                            <td>{segmentName(s.tag)}</td>
                            <td>{s.orders}</td>
                            <td>{money(s.revenue)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </CardBody>
            </Card>

            {r.byStep.length > 0 && (
              <Card className="comeback-flow-card">
                <CardHeader>
                  <h3>{__('By step and channel', 'comeback')}</h3>
                </CardHeader>
                <CardBody>
                  <table className="comeback-table widefat striped" data-testid="by-step">
                    <thead>
                      <tr>
                        <th>{__('Flow', 'comeback')}</th>
                        <th>{__('Step', 'comeback')}</th>
                        <th>{__('Channel', 'comeback')}</th>
                        <th>{__('Sent', 'comeback')}</th>
                        <th>{__('Orders', 'comeback')}</th>
                        <th>{__('Revenue', 'comeback')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.byStep.map((s) => (
                        <tr key={`${s.flow}|${s.step}|${s.channel}`}>
                          <td>{flowName(s.flow)}</td>
                          <td>{sprintf(__('Step %d', 'comeback'), s.step + 1)}</td>
                          <td>{channelLabel(s.channel)}</td>
                          <td>{s.sent}</td>
                          <td>{s.orders}</td>
                          <td>{money(s.revenue)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </CardBody>
              </Card>
            )}
          </>
        );
      }}
    </AsyncBlock>
  );
}
