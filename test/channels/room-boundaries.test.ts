import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../sidecar/src');

/** Every module a room's files import, as paths under sidecar/src. */
function importsOf(room: string): Array<{ file: string; target: string }> {
  const dir = join(SRC, room);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    return [...source.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)].map((m) => ({
      file: `${room}/${file}`,
      target: relative(SRC, join(dir, file, '..', m[1]!)),
    }));
  });
}

describe('the outbox queue and the channels that send it', () => {
  it('messages/ imports nothing from channels/: the queue knows no providers (channels/ reads the queue, not the other way round)', () => {
    const imports = importsOf('messages');
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.filter((i) => i.target.startsWith('channels/'))).toEqual([]);
  });
});
