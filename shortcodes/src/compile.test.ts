import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { catalog, helperNames } from './catalog.ts';
import { compile, compileNodes, TemplateValidationError } from './compile.ts';
import { parse } from './parse.ts';

/** An isolated Handlebars with stub helpers that print their name and hash, e.g. <order_date format=j F Y>. */
function render(source: string, context: 'online' | 'offline' | 'any' = 'online'): string {
  const hbs = Handlebars.create();
  for (const name of helperNames) {
    hbs.registerHelper(name, (options: Handlebars.HelperOptions) => {
      const hash = Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => ` ${k}=${String(v)}`);
      return `<${name.slice(3)}${hash.join('')}>`;
    });
  }
  return hbs.compile(compile(source, context).template, { strict: true })({});
}

/** What render() must print: the parsed text, and each shortcode as its stub would print it. */
function expected(source: string): string {
  return parse(source)
    .map((n) =>
      n.type === 'text'
        ? n.value
        : `<${n.name}${Object.entries(n.attrs)
            .map(([k, v]) => ` ${k}=${v}`)
            .join('')}>`,
    )
    .join('');
}

describe('compile', () => {
  it('turns shortcodes into sc_ helper calls with quoted hash arguments', () => {
    const out = compile('Hi [customer_first_name], [payment_link text="Pay now"] [order_date format=\'j "F" Y\']', 'online');
    expect(out.template).toBe(
      'Hi {{{sc_customer_first_name}}}, {{{sc_payment_link text="Pay now"}}} {{{sc_order_date format="j \\"F\\" Y"}}}',
    );
    expect(out.helpers).toEqual(['sc_customer_first_name', 'sc_payment_link', 'sc_order_date']);
  });

  it('exports one helper per catalogue entry', () => {
    expect(helperNames).toEqual(catalog.map((s) => `sc_${s.name}`));
  });

  it('keeps Handlebars syntax and HTML typed by the editor literal', () => {
    expect(render('<b>{{x}}</b> {{{y}}} {{> p}} {{!c}} [order_number]')).toBe('<b>{{x}}</b> {{{y}}} {{> p}} {{!c}} <order_number>');
  });

  it('passes attribute values through exactly, quotes, backslashes, braces and newlines included', () => {
    const text = 'say "hi" \\" it\'s {{x}} }}}\n<i>ok</i> \\ \\\\"x';
    const node = { type: 'shortcode' as const, name: 'payment_link', attrs: { text }, positional: [], line: 1, column: 1 };
    const hbs = Handlebars.create();
    hbs.registerHelper('sc_payment_link', (options: Handlebars.HelperOptions) => `<${String(options.hash.text)}>`);
    expect(hbs.compile(compileNodes([node, { type: 'text', value: '"' }]).template)({})).toBe(`<${text}>"`);
  });

  it('decodes WordPress escapes in attribute values before passing them on', () => {
    expect(render('[payment_link text="a\\x22b\\\\c\\tq"]')).toBe('<payment_link text=a"b\\c\tq>');
  });

  it('prints braces and backslashes next to shortcodes exactly', () => {
    for (const source of [
      '{[order_number]}',
      '{{[order_number]}}',
      '{{{{[order_number]}}}}',
      '\\[order_number]\\\\[order_number]\\\\\\',
      '\\{{x}} \\\\{{x}} a\\{[shop_name]\\}',
      'css { color: red } \u0000 [[order_number]]',
    ]) {
      expect(render(source)).toBe(expected(source));
    }
  });

  it('survives random mixes of text, syntax characters and shortcodes', () => {
    const pieces = [
      '{',
      '}',
      '{{',
      '}}',
      '\\',
      '\\\\',
      '"',
      "'",
      '<b>',
      'a',
      ' ',
      '\n',
      '[order_number]',
      '[shop_name]',
      '[[x]]',
      '[payment_link text="a}}b{{c\\\\d\\x22e"]',
      '[1]',
      '~',
      '!',
      '#',
      '>',
      '&',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 500; round++) {
      let source = '';
      for (let i = next() % 12; i >= 0; i--) source += pieces[next() % pieces.length];
      expect(render(source), JSON.stringify(source)).toBe(expected(source));
    }
  });

  it('refuses templates that do not validate', () => {
    expect(() => compile('[bank_details]', 'online')).toThrow(TemplateValidationError);
    try {
      compile('[nope] [payment_link]', 'offline');
    } catch (e) {
      expect((e as TemplateValidationError).errors.map((x) => x.code)).toEqual(['unknown_shortcode', 'wrong_context']);
    }
  });
});
