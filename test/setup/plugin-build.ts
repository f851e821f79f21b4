import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pluginBuild: { status: number | null; output: string; committedPot: string };
  }
}

/**
 * `npm run build`'s admin UI and plugin parts, once before any test file runs: the UI tests load
 * admin-ui/dist from the sidecar, and the PHP tests and the HTTP end-to-end test install the
 * plugin (which carries that UI) from dist/comeback.zip, so both must exist (and be this code's)
 * before any starts. The .pot as committed is read first, so a test can tell whether the
 * committed one was stale.
 */
export function setup(project: TestProject): void {
  const root = resolve(import.meta.dirname, '../..');
  const committedPot = readFileSync(join(root, 'plugin/languages/comeback.pot'), 'utf8');
  const ui = spawnSync('npm', ['run', 'build', '--silent', '-w', 'admin-ui', '--', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  const build = ui.status === 0 ? spawnSync(process.execPath, [join(root, 'scripts/build-plugin.mjs')], { encoding: 'utf8' }) : ui;
  project.provide('pluginBuild', {
    status: build.status,
    output: `${ui.stdout}${ui.stderr}${build === ui ? '' : `${build.stdout}${build.stderr}`}`,
    committedPot,
  });
}
