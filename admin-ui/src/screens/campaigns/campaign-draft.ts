import type { Campaign, CampaignFields, CampaignStatus } from '@comeback/sidecar/api-contracts';
import { NEW_CAMPAIGN_EMAIL, NEW_CAMPAIGN_TRANSLATIONS } from '@comeback/sidecar/campaign-texts';

export const editable = (status: CampaignStatus) => status === 'draft' || status === 'scheduled';

export function newCampaign(): CampaignFields {
  return {
    name: '',
    tags: [],
    excludeTags: [],
    sendAt: null,
    perMinute: 60,
    holdOutPercent: 0,
    sendWindow: { start: '09:00', end: '20:00' },
    step: {
      delay: { value: 0, unit: 'minutes' },
      channels: ['email'],
      conditions: [],
      email: { ...NEW_CAMPAIGN_EMAIL },
      // The sidecar's own Polish of the text: customers whose message goes in Polish get it.
      translations: structuredClone(NEW_CAMPAIGN_TRANSLATIONS),
    },
  };
}

/** A campaign's message is made with it (its flow, in the same transaction): `step` is always there. */
export const stepOf = (c: Campaign) => c.step!;

export const inputOf = (c: Campaign): CampaignFields => ({
  name: c.name,
  tags: c.tags,
  excludeTags: c.excludeTags ?? [],
  sendAt: c.sendAt,
  perMinute: c.perMinute,
  holdOutPercent: c.holdOutPercent,
  sendWindow: c.sendWindow ?? null,
  step: stepOf(c),
});
