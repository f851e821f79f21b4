import type { AgendaOptions } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase } from './fixture.ts';
import { delay, waitForEvent } from './wait-for.ts';

// removeOnComplete: finished one-time jobs are deleted (through removeJobs by id); others stay.
describe('conformance: removeOnComplete', async () => {
  const fx = await conformanceDatabase('remove_on_complete');

  async function rowsLeft(
    options: Partial<AgendaOptions>,
    definition: { removeOnComplete?: boolean } = {},
    setup: 'now' | 'every' = 'now',
    fails = false,
  ): Promise<number> {
    const agenda = await fx.agenda(options);
    agenda.define(
      'roc',
      async () => {
        if (fails) throw new Error('kept on failure');
      },
      definition,
    );
    await agenda.start();
    const complete = waitForEvent(agenda, 'complete:roc');
    if (setup === 'every') await agenda.every('1 hour', 'roc');
    else await agenda.now('roc');
    await complete;
    await delay(200);
    return fx.count('name = ?', ['roc']);
  }

  it('removes a finished one-time job when enabled globally', async () => {
    expect(await rowsLeft({ removeOnComplete: true })).toBe(0);
  });

  it('keeps it by default', async () => {
    expect(await rowsLeft({})).toBe(1);
  });

  it('keeps a repeating job', async () => {
    expect(await rowsLeft({ removeOnComplete: true }, {}, 'every')).toBe(1);
  });

  it('follows a definition that enables it', async () => {
    expect(await rowsLeft({ removeOnComplete: false }, { removeOnComplete: true })).toBe(0);
  });

  it('follows a definition that disables it', async () => {
    expect(await rowsLeft({ removeOnComplete: true }, { removeOnComplete: false })).toBe(1);
  });

  it('keeps a failed job', async () => {
    expect(await rowsLeft({ removeOnComplete: true }, {}, 'now', true)).toBe(1);
  });

  it('still emits complete, and removes only the finished job among others', async () => {
    const agenda = await fx.agenda({ removeOnComplete: true }, { claimBatch: 10 });
    const gate = fx.gate();
    agenda.define('quick', async () => undefined);
    agenda.define('held', () => gate.wait());
    const held = await agenda.now('held');
    await agenda.start();
    const complete = waitForEvent(agenda, 'complete:quick');
    const quick = await agenda.now('quick');
    await complete;
    await delay(200);
    expect(await fx.row(quick.attrs._id)).toBeUndefined();
    expect(await fx.row(held.attrs._id)).toBeDefined();
  });
});
