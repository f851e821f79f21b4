import { spawn } from 'node:child_process';
import { afterEach } from 'vitest';
import { startWorker, stopWorker, type Worker } from './child-workers.ts';

export { startWorker, stopWorker, type Worker };

/** Polls until the predicate holds or the timeout passes (then throws with the last value). */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

/**
 * Starts workers of one entry for a test file and SIGKILLs any still running after each test, so
 * a failed assertion never leaves a process behind.
 */
export function workerProcesses(entry: string): { start(env: Record<string, string>): Promise<Worker>; all: Worker[] } {
  const all: Worker[] = [];
  afterEach(async () => {
    for (const w of all.splice(0)) await stopWorker(w, 'SIGKILL');
  });
  return {
    all,
    async start(env) {
      const worker = await startWorker(entry, env);
      all.push(worker);
      return worker;
    },
  };
}

/** A command run to its end, `stdin` piped in when given: its exit code and what it printed. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
