import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const defaults = { workerName: 'host:1' };

describe('loadConfig', () => {
  it('gives defaults for an empty environment (embedded database, loopback)', () => {
    const config = loadConfig({}, defaults);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.workerName).toBe('host:1');
    expect(config.scheduler.lockLimit).toBeGreaterThan(0);
  });

  it('names every bad key and what it allows', () => {
    const attempt = () =>
      loadConfig({ COMEBACK_HTTP_PORT: 'eighty', COMEBACK_DATABASE_URL: 'postgres://x/y', COMEBACK_LOG_LEVEL: 'loud' }, defaults);
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/COMEBACK_HTTP_PORT: .*port/);
    expect(message).toMatch(/COMEBACK_DATABASE_URL: must be a mysql:\/\/ URL/);
    expect(message).toMatch(/COMEBACK_LOG_LEVEL: .*"info"/);
  });

  it('accepts a mysql URL and numbers given as strings', () => {
    const config = loadConfig({ COMEBACK_DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/shop', COMEBACK_SCHEDULER_CONCURRENCY: '7' }, defaults);
    expect(config.databaseUrl).toBe('mysql://u:p@127.0.0.1:3306/shop');
    expect(config.scheduler.concurrency).toBe(7);
  });
});
