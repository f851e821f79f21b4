/**
 * Sidecars and other TypeScript entries as real child processes, started and signalled as a
 * deployment would. Free of vitest, so `npm run soak` (sidecar/bench/soak.ts) starts them too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const tsxLoader = fileURLToPath(import.meta.resolve('tsx'));

export type Worker = { child: ChildProcess; pid: number; url: string; output(): string };

/**
 * Starts a TypeScript entry as a child process (via tsx): the child at once, and `ready`, which
 * resolves when it says `{ ready }` (and rejects if it exits first).
 */
export function spawnWorker(entry: string, env: Record<string, string>): { child: ChildProcess; ready: Promise<Worker> } {
  let output = '';
  const child = fork(entry, [], {
    env: { ...process.env, COMEBACK_LOG_LEVEL: 'warn', COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on', ...env },
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const ready = new Promise<Worker>((resolve, reject) => {
    child.on(
      'message',
      (m: { ready?: boolean; url: string }) => m.ready && resolve({ child, pid: child.pid!, url: m.url, output: () => output }),
    );
    child.on('exit', (code, signal) => reject(new Error(`worker exited with ${code ?? signal} before it was ready:\n${output}`)));
  });
  return { child, ready };
}

/** Starts a TypeScript entry as a child process (via tsx) and waits for its `{ ready }` message. */
export function startWorker(entry: string, env: Record<string, string>): Promise<Worker> {
  return spawnWorker(entry, env).ready;
}

/** Sends a signal and waits for the process to exit; returns its exit code or signal. */
export async function stopWorker(worker: Pick<Worker, 'child'>, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return worker.child.exitCode ?? worker.child.signalCode;
  const exited = once(worker.child, 'exit');
  worker.child.kill(signal);
  const [code, sig] = (await exited) as [number | null, NodeJS.Signals | null];
  return code ?? sig;
}
