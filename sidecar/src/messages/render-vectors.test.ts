import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TemplateContext } from '../../../shortcodes/src/index.ts';
import { renderShortcodes, type RenderContext, type RenderMode } from './index.ts';
import { shopFormatsSchema } from './shop-formats.ts';

type Vector = { name: string; data: string; context: TemplateContext; mode: RenderMode; template: string; expected: string };
type RawContext = Omit<RenderContext, 'order'> & { order: Omit<RenderContext['order'], 'dateCreated'> & { dateCreated: string } };

// The same file the plugin's PHPUnit suite renders (test/php/tests/ShortcodeRenderTest.php).
const file = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/render.json', import.meta.url), 'utf8')) as {
  contexts: Record<string, RawContext>;
  vectors: Vector[];
};

describe('shared render vectors (shortcodes/vectors/render.json)', () => {
  it('has contexts whose formats are what the plugin sends (the schema the sidecar stores)', () => {
    for (const context of Object.values(file.contexts)) expect(shopFormatsSchema.parse(context.formats)).toEqual(context.formats);
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const raw = file.contexts[vector.data]!;
    const data: RenderContext = { ...raw, order: { ...raw.order, dateCreated: new Date(raw.order.dateCreated) } };
    expect(renderShortcodes(vector.template, vector.context, data, vector.mode)).toBe(vector.expected);
  });
});
