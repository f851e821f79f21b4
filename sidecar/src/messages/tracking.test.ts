import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrderTracking } from './render-context.ts';
import { trackingFromOrderMeta } from './tracking.ts';

type Vector = { name: string; meta: Array<{ key: string; value: unknown }>; expected: OrderTracking | null };

// The same file the plugin's PHPUnit suite reads (test/php/tests/ShortcodeTrackingTest.php).
const { vectors } = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/tracking.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

describe('shared tracking vectors (shortcodes/vectors/tracking.json)', () => {
  it('has unique names and covers every source', () => {
    expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
    const keys = new Set(vectors.flatMap((v) => v.meta.map((m) => m.key)));
    for (const key of [
      '_comeback_tracking_number',
      '_comeback_tracking_url',
      '_wc_shipment_tracking_items',
      '_tracking_number',
      '_tracking_url',
    ])
      expect(keys).toContain(key);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(trackingFromOrderMeta(v.meta)).toEqual(v.expected);
  });
});

describe('trackingFromOrderMeta', () => {
  it('reads the first value stored under a key, as get_meta() does', () => {
    const meta = [
      { key: '_tracking_number', value: 'FIRST' },
      { key: '_tracking_number', value: 'SECOND' },
    ];
    expect(trackingFromOrderMeta(meta)).toEqual({ number: 'FIRST' });
  });

  it('reads a REST order as WooCommerce sends it (meta_data entries carry ids)', () => {
    const meta_data = [
      {
        id: 901,
        key: '_wc_shipment_tracking_items',
        value: [
          {
            tracking_provider: '',
            custom_tracking_provider: 'GLS',
            custom_tracking_link: 'https://gls-group.eu/track/123',
            tracking_number: '123',
            date_shipped: '1741219200',
            tracking_id: 'f00',
          },
        ],
      },
      { id: 902, key: 'is_vat_exempt', value: 'no' },
    ];
    expect(trackingFromOrderMeta(meta_data)).toEqual({ number: '123', url: 'https://gls-group.eu/track/123', carrier: 'GLS' });
  });

  it('never throws on odd values', () => {
    for (const value of [null, undefined, 1.5, {}, [null, 1, 'x', [1]], { a: null }]) {
      expect(
        trackingFromOrderMeta([
          { key: '_wc_shipment_tracking_items', value },
          { key: '_comeback_tracking_number', value },
        ]),
      ).toBeNull();
    }
  });
});
