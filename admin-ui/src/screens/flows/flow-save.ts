import { __, _n, sprintf } from '@wordpress/i18n';
import type { FlowDefinition, FlowStep, StoredFlow } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../../api.ts';
import { asApiError } from '../../components/async.tsx';
import { CHANNELS } from './flow-limits.ts';

import type { SaveStatus } from '../../components/SaveBar.tsx';

export type { SaveStatus };

/** Templates only for the channels a step sends by: a channel taken out of the list keeps its text while editing, not in the save. */
export function forSave(flow: FlowDefinition): FlowDefinition {
  return {
    ...flow,
    steps: flow.steps.map((step) => {
      const kept: FlowStep = { ...step };
      for (const channel of CHANNELS) if (!step.channels.includes(channel)) delete kept[channel];
      return kept;
    }),
  };
}

/** Same definition whatever the order of keys (the API's answer and the draft are built differently). */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * PUT /api/flows/:key as a new version. The answer for the save bar: what was stored, or the
 * refused fields (each shown at its control) and the version conflict (someone saved meanwhile).
 */
export async function saveFlow(
  key: string,
  definition: FlowDefinition,
  enabled: boolean,
  expectedVersion: number,
): Promise<{ stored?: StoredFlow; errors: FieldError[]; status: SaveStatus }> {
  try {
    const stored = await api<StoredFlow>('PUT', `/api/flows/${key}`, { definition: forSave(definition), enabled, expectedVersion });
    return {
      stored,
      errors: [],
      status: {
        kind: 'success',
        message: sprintf(
          __(
            'Saved as version %d. Customers who enter from now on get it; those already in the flow keep the version they entered with.',
            'comeback',
          ),
          stored.version,
        ),
      },
    };
  } catch (error) {
    const e = asApiError(error);
    if (e.code === 'invalid_flow' || e.code === 'invalid_template') {
      const found = e.fieldErrors();
      const message = sprintf(
        _n(
          '%d problem stops this flow from being saved; it is shown at its field. Nothing was saved.',
          '%d problems stop this flow from being saved; each is shown at its field. Nothing was saved.',
          found.length,
          'comeback',
        ),
        found.length,
      );
      return { errors: found, status: { kind: 'error', message } };
    }
    if (e.code === 'version_conflict') {
      const current = (e.details as { currentVersion?: number } | undefined)?.currentVersion;
      return {
        errors: [],
        status: {
          kind: 'warning',
          reload: true,
          message: sprintf(
            __(
              'Someone else saved this flow meanwhile (it is now version %s). Reload it to see their changes, then make yours again; nothing of yours was saved.',
              'comeback',
            ),
            String(current ?? '?'),
          ),
        },
      };
    }
    return { errors: [], status: { kind: 'error', message: e.message } };
  }
}
