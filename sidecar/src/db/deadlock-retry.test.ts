import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from './deadlock-retry.ts';

const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });

describe('retryOnDeadlock', () => {
  it('runs the work again after a deadlock, a lock wait timeout or an AUTO-INC lock lost to one, and returns its result', async () => {
    let calls = 0;
    const result = await retryOnDeadlock(async () => {
      calls++;
      if (calls === 1) throw deadlock();
      if (calls === 2) throw Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
      if (calls === 3)
        throw Object.assign(new Error('Failed to read auto-increment value from storage engine'), {
          code: 'ER_AUTOINC_READ_FAILED',
          errno: 1467,
        });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(4);
  });
  it('gives up after the last attempt, and never retries other errors', async () => {
    let calls = 0;
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw deadlock();
      }, 3),
    ).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' });
      }),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(calls).toBe(1);
  });
});
