import { describe, expect, it } from 'vitest';
import { parse, type TemplateNode } from './parse.ts';
import { loadVectors } from './vectors.ts';

interface ParseVector {
  name: string;
  input: string;
  expected: TemplateNode[];
}

const vectors = loadVectors<ParseVector>('parse.json');

describe('parse vectors', () => {
  it('has unique names and enough of them', () => {
    expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
    expect(vectors.length).toBeGreaterThanOrEqual(30);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    // JSON round trip: what the PHP side compares is the JSON shape, not JS object identity.
    expect(JSON.parse(JSON.stringify(parse(v.input)))).toEqual(v.expected);
  });
});

describe('parse', () => {
  it('never produces two text nodes in a row and loses no text', () => {
    const source = 'a [[x]] b [y] [[z] c]] [1]';
    const nodes = parse(source);
    for (let i = 1; i < nodes.length; i++) {
      expect(nodes[i - 1]!.type === 'text' && nodes[i]!.type === 'text').toBe(false);
    }
    expect(nodes.map((n) => (n.type === 'text' ? n.value : `<${n.name}>`)).join('')).toBe('a [x] b <y> [<z> c]] [1]');
  });

  it('is linear on long inputs full of brackets', () => {
    const source = '[a '.repeat(20_000) + '[['.repeat(20_000);
    const started = performance.now();
    expect(parse(source)).toEqual([{ type: 'text', value: source }]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
