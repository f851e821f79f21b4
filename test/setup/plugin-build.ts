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
 * `npm run build`'s plugin part, once before any test file runs: the PHP tests and the HTTP
 * end-to-end test install the plugin from dist/comeback.zip, so it must exist (and be this
 * code's) before either starts. The .pot as committed is read first, so a test can tell whether
 * the committed one was stale.
 */
export function setup(project: TestProject): void {
  const root = resolve(import.meta.dirname, '../..');
  const committedPot = readFileSync(join(root, 'plugin/languages/comeback.pot'), 'utf8');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-plugin.mjs')], { encoding: 'utf8' });
  project.provide('pluginBuild', { status: build.status, output: `${build.stdout}${build.stderr}`, committedPot });
}
