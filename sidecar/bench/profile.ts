import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * BENCH_PROFILE=<folder>: a V8 CPU profile of the measured work only (start() to write()), not of
 * the start-up's module loading, written there as <name>-<pid>.cpuprofile. Without the variable
 * both do nothing. Summed by function or package, a profile says where a bench's CPU goes.
 */
export function benchProfiler(name: string) {
  const folder = process.env.BENCH_PROFILE;
  const session = folder ? new Session() : undefined;
  let started: Promise<void> | undefined;
  return {
    start(): Promise<void> {
      if (!session) return Promise.resolve();
      started ??= (async () => {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
      })();
      return started;
    },
    async write(): Promise<void> {
      if (!session || !started) return;
      await started;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(folder!, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
