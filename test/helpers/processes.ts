import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const tsxLoader = fileURLToPath(import.meta.resolve('tsx'));

export type Worker = { child: ChildProcess; pid: number; url: string; output(): string };

/** Starts a TypeScript entry as a child process (via tsx) and waits for its `{ ready }` message. */
export async function startWorker(entry: string, env: Record<string, string>): Promise<Worker> {
  let output = '';
  const child = fork(entry, [], {
    env: { ...process.env, COMEBACK_LOG_LEVEL: 'warn', COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on', ...env },
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; url: string }) => m.ready && resolve(m));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${output}`)));
  });
  const { url } = await ready;
  return { child, pid: child.pid!, url, output: () => output };
}

/** Sends a signal and waits for the process to exit; returns its exit code or signal. */
export async function stopWorker(worker: Worker, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return worker.child.exitCode ?? worker.child.signalCode;
  const exited = once(worker.child, 'exit');
  worker.child.kill(signal);
  const [code, sig] = (await exited) as [number | null, NodeJS.Signals | null];
  return code ?? sig;
}

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
