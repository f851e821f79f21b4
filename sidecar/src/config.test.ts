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

  it("configures SMS and WhatsApp only when all of a provider's keys are set, naming what is missing (never a value)", () => {
    const none = loadConfig({}, defaults);
    expect(none.sms).toEqual({ perSecond: 10, twilio: undefined });
    expect(none.whatsapp).toEqual({ perSecond: 80, cloudApi: undefined });

    const twilio = { COMEBACK_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(31)}1`, COMEBACK_TWILIO_AUTH_TOKEN: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
    const whatsapp = {
      COMEBACK_WHATSAPP_TOKEN: 'EAAFIXTUREFAKETOKEN000',
      COMEBACK_WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
      COMEBACK_WHATSAPP_APP_SECRET: '0fa1c3e5d7b9f2a4c6e8d0b2f4a6c8e0',
      COMEBACK_WHATSAPP_VERIFY_TOKEN: 'fixture-verify-token-01',
    };
    const publicUrl = { COMEBACK_PUBLIC_URL: 'https://reminders.example.test' };
    const full = loadConfig(
      { ...twilio, COMEBACK_TWILIO_FROM: '+15550001000', ...whatsapp, ...publicUrl, COMEBACK_SMS_PER_SECOND: '3' },
      defaults,
    );
    expect(full.sms).toEqual({
      perSecond: 3,
      twilio: { accountSid: twilio.COMEBACK_TWILIO_ACCOUNT_SID, authToken: twilio.COMEBACK_TWILIO_AUTH_TOKEN, from: '+15550001000' },
    });
    expect(full.whatsapp.cloudApi).toMatchObject({ phoneNumberId: '100000000000001', verifyToken: 'fixture-verify-token-01' });

    const messageOf = (env: Record<string, string>) => {
      try {
        loadConfig(env, defaults);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return '';
    };
    const noSender = messageOf(twilio);
    expect(noSender).toMatch(/SMS over Twilio needs COMEBACK_TWILIO_FROM or COMEBACK_TWILIO_MESSAGING_SERVICE_SID/);
    expect(noSender).not.toContain(twilio.COMEBACK_TWILIO_AUTH_TOKEN);
    expect(messageOf({ COMEBACK_TWILIO_FROM: '+15550001000' })).toMatch(/COMEBACK_TWILIO_ACCOUNT_SID, COMEBACK_TWILIO_AUTH_TOKEN/);
    expect(
      messageOf({ ...twilio, COMEBACK_TWILIO_FROM: '+15550001000', COMEBACK_TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}` }),
    ).toMatch(/one sender, not both/);
    const halfWhatsApp = messageOf({
      COMEBACK_WHATSAPP_TOKEN: whatsapp.COMEBACK_WHATSAPP_TOKEN,
      COMEBACK_WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
    });
    expect(halfWhatsApp).toMatch(/WhatsApp needs COMEBACK_WHATSAPP_APP_SECRET, COMEBACK_WHATSAPP_VERIFY_TOKEN/);
    expect(halfWhatsApp).not.toContain(whatsapp.COMEBACK_WHATSAPP_TOKEN);
    expect(messageOf({ ...whatsapp, ...publicUrl, COMEBACK_WHATSAPP_PHONE_NUMBER_ID: '+15550002000' })).toMatch(
      /COMEBACK_WHATSAPP_PHONE_NUMBER_ID: must be the numeric phone number id/,
    );
  });

  it('refuses Twilio or WhatsApp without COMEBACK_PUBLIC_URL: their signed callbacks would all fail', () => {
    const twilio = {
      COMEBACK_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(31)}1`,
      COMEBACK_TWILIO_AUTH_TOKEN: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      COMEBACK_TWILIO_FROM: '+15550001000',
    };
    const whatsapp = {
      COMEBACK_WHATSAPP_TOKEN: 'EAAFIXTUREFAKETOKEN000',
      COMEBACK_WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
      COMEBACK_WHATSAPP_APP_SECRET: '0fa1c3e5d7b9f2a4c6e8d0b2f4a6c8e0',
      COMEBACK_WHATSAPP_VERIFY_TOKEN: 'fixture-verify-token-01',
    };
    expect(() => loadConfig(twilio, defaults)).toThrow(/COMEBACK_PUBLIC_URL: SMS over Twilio needs COMEBACK_PUBLIC_URL/);
    expect(() => loadConfig(whatsapp, defaults)).toThrow(/COMEBACK_PUBLIC_URL: WhatsApp needs COMEBACK_PUBLIC_URL/);
    expect(() => loadConfig({ ...twilio, ...whatsapp }, defaults)).toThrow(/SMS over Twilio and WhatsApp needs COMEBACK_PUBLIC_URL/);
    expect(() => loadConfig(twilio, defaults)).not.toThrow(new RegExp(twilio.COMEBACK_TWILIO_AUTH_TOKEN));
    expect(
      loadConfig({ ...twilio, ...whatsapp, COMEBACK_PUBLIC_URL: 'https://reminders.example.test' }, defaults).sms.twilio,
    ).toBeDefined();
  });

  it('opens the dev outbox only when asked to (COMEBACK_DEV_OUTBOX=on)', () => {
    expect(loadConfig({}, defaults).devOutbox).toBe(false);
    expect(loadConfig({ COMEBACK_DEV_OUTBOX: 'on' }, defaults).devOutbox).toBe(true);
    expect(() => loadConfig({ COMEBACK_DEV_OUTBOX: 'yes' }, defaults)).toThrow(/COMEBACK_DEV_OUTBOX/);
  });
});
