import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
/** Only the sidecar's own /admin signs in and lists shops; inside wp-admin the plugin is the shop. */
const SIDECAR_ONLY = new Set(['GET /api/shops']);
/** What a `${…}` in a path may stand for: an id, a flow key, an email, an action word, a query. */
const STAND_INS = ['1', 'abc-1', 'a%40b.test', 'cancel', 'retry', 'cancel-order', 'send-now', 'sender', 'reminder', 'a=1&b=2'];

/** Every api('METHOD', '/api/…') call of the admin UI, as written (template literals kept). */
function uiCalls(): Array<{ file: string; method: string; path: string }> {
  const calls: Array<{ file: string; method: string; path: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/api(?:<[^>]*>)?\(\s*'(GET|POST|PUT|PATCH|DELETE)',\s*(['`])(\/api\/[^'`]*)\2/g)) {
          calls.push({ file: relative(ROOT, path), method: m[1]!, path: m[3]! });
        }
      }
    }
  };
  walk(join(ROOT, 'admin-ui/src'));
  return calls;
}

/** The plugin's allow-list (Comeback_Admin_UI::ALLOWED_PATHS), as the PCRE it is, read as a JS RegExp. */
function allowedPaths(): RegExp {
  const php = readFileSync(join(ROOT, 'plugin/includes/class-comeback-admin-ui.php'), 'utf8');
  const pattern = /ALLOWED_PATHS = '#(.*)#';/.exec(php)![1]!;
  return new RegExp(pattern);
}

/** The concrete paths a template path can become with the stand-ins. */
function concretePaths(template: string): string[] {
  const parts = template.replace(/^\/api\//, '').split(/\$\{[^}]*\}/);
  let paths = [parts[0]!];
  for (const part of parts.slice(1)) paths = paths.flatMap((p) => STAND_INS.map((s) => p + s + part));
  return paths;
}

/**
 * Inside wp-admin the admin UI reaches the sidecar only through the plugin's proxy, which forwards
 * the paths on its allow-list and refuses the rest. A screen whose call is not on the list works in
 * the sidecar's own /admin and breaks in the shop ("needs a newer version of the plugin"): every
 * call the UI makes must pass the list.
 */
describe('the plugin forwards every call the admin UI makes', () => {
  const allowed = allowedPaths();
  const calls = uiCalls().filter((c) => !SIDECAR_ONLY.has(`${c.method} ${c.path}`));

  it('finds the calls', () => {
    expect(calls.length).toBeGreaterThan(30);
  });

  it.each(calls.map((c) => [`${c.method} ${c.path}`, c] as const))('%s', (_name, call) => {
    const passing = concretePaths(call.path).filter((p) => allowed.test(p));
    expect(passing, `${call.file}: ${call.method} ${call.path} is not on Comeback_Admin_UI::ALLOWED_PATHS`).not.toEqual([]);
  });
});
