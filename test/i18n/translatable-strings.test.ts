import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { po } from 'gettext-parser';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every string marked for translation in the TypeScript reaches translators: each __, _x, _n and
 * _nx call's msgid (and context) in the admin UI, the sidecar and the shortcodes, read with
 * TypeScript's own parser (not the babel extractor scripts/make-pot.mjs uses), is in the committed
 * plugin/languages/comeback.pot; and no English is left unmarked as JSX text in the admin UI.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MARKERS: Record<string, { context?: number }> = { __: {}, _x: { context: 1 }, _n: {}, _nx: { context: 3 } };

function sources(patterns: string[]): string[] {
  return patterns
    .flatMap((pattern) => globSync(pattern, { cwd: ROOT }))
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .sort();
}

function parse(file: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true, kind);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const literal = (node: ts.Node | undefined) => (node && ts.isStringLiteralLike(node) ? node.text : undefined);
const where = (file: string, node: ts.Node) => `${file}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

/** The marked strings, as the .pot keys them (context \u0004 msgid), with where each call is. */
function markedStrings(files: string[]): { keys: Map<string, string>; unreadable: string[] } {
  const keys = new Map<string, string>();
  const unreadable: string[] = [];
  for (const file of files) {
    walk(parse(file), (node) => {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || !(node.expression.text in MARKERS)) return;
      const marker = MARKERS[node.expression.text]!;
      const msgid = literal(node.arguments[0]);
      const context = marker.context === undefined ? '' : literal(node.arguments[marker.context]);
      if (msgid === undefined || context === undefined) return void unreadable.push(where(file, node));
      keys.set(context ? `${context}\u0004${msgid}` : msgid, where(file, node));
    });
  }
  return { keys, unreadable };
}

describe('the translation template (comeback.pot) against the sources', () => {
  const pot = po.parse(readFileSync(join(ROOT, 'plugin/languages/comeback.pot')));
  const inPot = new Set(
    Object.entries(pot.translations).flatMap(([context, entries]) =>
      Object.keys(entries)
        .filter(Boolean)
        .map((msgid) => (context ? `${context}\u0004${msgid}` : msgid)),
    ),
  );

  it('holds every string the admin UI, the sidecar and the shortcodes mark, each call a literal the extractor can read', () => {
    const files = sources(['admin-ui/src/**/*.{ts,tsx}', 'sidecar/src/**/*.ts', 'shortcodes/src/**/*.ts']);
    const { keys, unreadable } = markedStrings(files);
    const missing = [...keys].filter(([key]) => !inPot.has(key)).map(([key, at]) => `${at}: ${JSON.stringify(key)}`);
    console.log(
      `${keys.size} marked strings in ${files.length} TypeScript files, all in comeback.pot (${inPot.size} strings with the PHP's)`,
    );
    expect(unreadable, 'a marker called with a computed string cannot be extracted').toEqual([]);
    expect(missing, 'run `node scripts/make-pot.mjs` and commit plugin/languages/comeback.pot').toEqual([]);
    expect(keys.size).toBeGreaterThan(500);
  });

  it('leaves no English as bare JSX text in the admin UI (every word goes through __(); code samples aside)', () => {
    const bare: string[] = [];
    const isCode = (node: ts.Node) => ts.isJsxElement(node) && /^(code|pre|kbd|samp)$/.test(node.openingElement.tagName.getText());
    for (const file of sources(['admin-ui/src/**/*.tsx'])) {
      walk(parse(file), (node) => {
        if (!ts.isJsxText(node) || !/\p{L}/u.test(node.text) || isCode(node.parent)) return;
        bare.push(`${where(file, node)}: ${JSON.stringify(node.text.trim())}`);
      });
    }
    expect(bare).toEqual([]);
  });
});
