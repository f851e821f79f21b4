import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, type MessageFact, type TemplateContext } from '@comeback/shortcodes';
import { renderShortcodes, type RenderContext, type RenderMode } from './index.ts';
import { shopFormatsSchema } from './shop-formats.ts';

type Vector = {
  name: string;
  data: string;
  context: TemplateContext;
  mode: RenderMode;
  template: string;
  expected: string;
  skipInPhp?: string;
};
type Order = NonNullable<RenderContext['order']>;
type RawContext = Omit<RenderContext, 'order'> & { order?: Omit<Order, 'dateCreated'> & { dateCreated: string } };

// The same file the plugin's PHPUnit suite renders (test/php/tests/ShortcodeRenderTest.php).
const file = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/render.json', import.meta.url), 'utf8')) as {
  contexts: Record<string, RawContext>;
  vectors: Vector[];
};

function renderContext(raw: RawContext): RenderContext {
  return raw.order ? { ...raw, order: { ...raw.order, dateCreated: new Date(raw.order.dateCreated) } } : { ...raw, order: undefined };
}

describe('shared render vectors (shortcodes/vectors/render.json)', () => {
  it('has contexts whose formats are what the plugin sends (the schema the sidecar stores)', () => {
    for (const context of Object.values(file.contexts)) expect(shopFormatsSchema.parse(context.formats)).toEqual(context.formats);
  });

  it('covers carts and tracking, and the plugin renders every vector but the cart ones', () => {
    const names = file.vectors.map((v) => v.template).join(' ');
    for (const shortcode of ['cart_link', 'cart_items', 'cart_total', 'tracking_number', 'tracking_link'])
      expect(names).toContain(`[${shortcode}`);
    for (const v of file.vectors) expect(v.skipInPhp !== undefined, v.name).toBe(v.context === 'cart');
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(renderShortcodes(vector.template, vector.context, renderContext(file.contexts[vector.data]!), vector.mode)).toBe(
      vector.expected,
    );
  });
});

/**
 * The catalogue's `needs` is why the editor refuses a shortcode as printing nothing: with its fact
 * the shortcode prints, without it nothing (test/php/tests/ShortcodeRefusalTest.php checks the plugin).
 */
describe('a shortcode prints nothing without the fact it needs', () => {
  const order = renderContext(file.contexts.us!);
  const full: RenderContext = {
    ...order,
    order: { ...order.order!, tracking: { number: '1Z9', url: 'https://track.example/1Z9' } },
    coupon: { code: 'SAVE10', type: 'percent', amount: '10', currencySymbol: '$', expiresAt: new Date('2030-01-31T12:00:00Z') },
    loyalty: {
      points: '1250',
      cashback: '12.5',
      currencySymbol: '$',
      voucher: { code: 'V-42', value: '5', kind: 'amount', expiresAt: new Date('2030-02-28T12:00:00Z') },
    },
    links: { ...order.links, nps: 'https://comeback.example/nps/t', portal: 'https://rewards.example/me' },
  };
  const without: Record<MessageFact, (c: RenderContext) => RenderContext> = {
    coupon: ({ coupon: _, ...c }) => c,
    tracking: (c) => ({ ...c, order: { ...c.order!, tracking: undefined } }),
    loyalty: ({ loyalty: _, ...c }) => ({ ...c, links: { ...c.links, portal: undefined } }),
    voucher: (c) => ({ ...c, loyalty: { ...c.loyalty!, voucher: undefined } }),
    nps: (c) => ({ ...c, links: { ...c.links, nps: undefined } }),
  };
  it.each(catalog.filter((s) => s.needs).map((s) => [s.name, s] as const))('%s', (name, spec) => {
    const context = spec.contexts[0]!;
    for (const mode of ['html', 'text'] as const) {
      expect(renderShortcodes(`[${name}]`, context, full, mode)).not.toBe('');
      expect(renderShortcodes(`[${name}]`, context, without[spec.needs!.fact](full), mode)).toBe('');
    }
  });
});
