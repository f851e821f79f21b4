import { readFileSync } from 'node:fs';

/** Reads a shared vector file (shortcodes/vectors/*.json); the PHP tests read the same files. */
export function loadVectors<T>(file: 'parse.json' | 'validate.json'): T[] {
  const url = new URL(`../vectors/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: T[] }).vectors;
}
