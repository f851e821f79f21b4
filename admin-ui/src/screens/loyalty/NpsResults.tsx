import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import type { NpsAnswers } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { AsyncBlock, RefreshButton, useLoad, when } from '../../components/async.tsx';

const kind = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

/** The Net Promoter Score (promoters minus detractors, in % of answers) and the latest answers. */
export function NpsResults() {
  const nps = useLoad(() => api<NpsAnswers>('GET', '/api/nps'), 'nps');
  return (
    <Card className="comeback-flow-card comeback-nps">
      <CardHeader>
        <strong>{__('Satisfaction (NPS)', 'comeback')}</strong>
        <RefreshButton onClick={nps.reload} busy={nps.loading} />
      </CardHeader>
      <CardBody>
        <AsyncBlock
          state={nps}
          isEmpty={(n) => n.summary.responses === 0}
          empty={
            <p data-testid="nps-empty">
              {__('No answers yet: switch on the NPS survey above; answers show here as they come.', 'comeback')}
            </p>
          }
        >
          {({ summary, responses }) => (
            <>
              <div className="comeback-stats" role="list">
                <div className="comeback-stat" role="listitem" data-testid="nps-score">
                  <div className="comeback-stat__value">{summary.score === null ? '—' : Math.round(summary.score)}</div>
                  <div className="comeback-stat__label">{__('NPS (−100 to 100)', 'comeback')}</div>
                </div>
                <div className="comeback-stat" role="listitem" data-testid="nps-promoters">
                  <div className="comeback-stat__value">{summary.promoters}</div>
                  <div className="comeback-stat__label">{__('Promoters (9–10)', 'comeback')}</div>
                </div>
                <div className="comeback-stat" role="listitem">
                  <div className="comeback-stat__value">{summary.passives}</div>
                  <div className="comeback-stat__label">{__('Passives (7–8)', 'comeback')}</div>
                </div>
                <div className="comeback-stat" role="listitem">
                  <div className="comeback-stat__value">{summary.detractors}</div>
                  <div className="comeback-stat__label">{__('Detractors (0–6)', 'comeback')}</div>
                </div>
              </div>
              <p className="comeback-muted">
                {sprintf(
                  _n('%d answer in all. The latest:', '%d answers in all. The latest:', summary.responses, 'comeback'),
                  summary.responses,
                )}
              </p>
              <table className="comeback-table widefat striped" data-testid="nps-answers">
                <thead>
                  <tr>
                    <th>{__('Answered', 'comeback')}</th>
                    <th>{__('Customer', 'comeback')}</th>
                    <th>{__('Score', 'comeback')}</th>
                    <th>{__('Comment', 'comeback')}</th>
                  </tr>
                </thead>
                <tbody>
                  {responses.map((r, i) => (
                    <tr key={i}>
                      <td>{when(r.answeredAt)}</td>
                      <td>{r.email ?? '—'}</td>
                      <td>
                        <span className={`comeback-status comeback-nps--${kind(r.score)}`}>{r.score}</span>
                      </td>
                      <td>{r.comment || <span className="comeback-muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
