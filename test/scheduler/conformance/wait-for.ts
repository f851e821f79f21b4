import type { EventEmitter } from 'node:events';
import type { Agenda } from 'agenda';

/** Small helpers for waiting on agenda events and database state, with a deadline. */

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the first argument of the next `event`; rejects after `timeout` ms. */
export function waitForEvent<T = unknown>(target: Agenda, event: string, timeout = 5_000): Promise<T> {
  const agenda: EventEmitter = target;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      agenda.off(event, listener);
      reject(new Error(`timed out after ${timeout} ms waiting for '${event}'`));
    }, timeout);
    const listener = (first: T) => {
      clearTimeout(timer);
      agenda.off(event, listener);
      resolve(first);
    };
    agenda.on(event, listener);
  });
}

/** Resolves with the first arguments of the next `count` `event`s. */
export function waitForEvents<T = unknown>(target: Agenda, event: string, count: number, timeout = 10_000): Promise<T[]> {
  const agenda: EventEmitter = target;
  return new Promise<T[]>((resolve, reject) => {
    const seen: T[] = [];
    const timer = setTimeout(() => {
      agenda.off(event, listener);
      reject(new Error(`timed out after ${timeout} ms waiting for ${count} '${event}' (saw ${seen.length})`));
    }, timeout);
    const listener = (first: T) => {
      seen.push(first);
      if (seen.length < count) return;
      clearTimeout(timer);
      agenda.off(event, listener);
      resolve(seen);
    };
    agenda.on(event, listener);
  });
}

/** Listens first, then creates the job with `now()`, so the event cannot be missed. */
export async function runJobAndWait<T = unknown>(agenda: Agenda, name: string, event: string, data?: unknown, timeout = 5_000): Promise<T> {
  const waiting = waitForEvent<T>(agenda, event, timeout);
  await agenda.now(name, data);
  const result = await waiting;
  await new Promise((resolve) => process.nextTick(resolve));
  return result;
}

/** Polls until `check` returns a truthy value (which is returned); fails after `timeout` ms. */
export async function waitUntil<T>(check: () => T | Promise<T>, timeout = 5_000, every = 20): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    await delay(every);
  }
}

/** A door that job processors wait behind, opened by the test (or its cleanup). */
export type Gate = { wait(): Promise<void>; open(): void; readonly isOpen: boolean };

export function createGate(): Gate {
  let open!: () => void;
  let isOpen = false;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    wait: () => opened,
    open() {
      isOpen = true;
      open();
    },
    get isOpen() {
      return isOpen;
    },
  };
}
