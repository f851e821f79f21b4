import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TemplateContext } from '@comeback/shortcodes';
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
