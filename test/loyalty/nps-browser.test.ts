import type { RowDataPacket } from 'mysql2/promise';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { npsRoutes } from '../../sidecar/src/loyalty/nps-page.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { insertShop, listening, NPS_SECRET, sentSurvey } from './nps-fixtures.ts';

const CHROMIUM = process.env.COMEBACK_CHROMIUM ?? '/usr/bin/chromium';

/** A customer answering the survey in real Chromium: by the labels a screen reader reads out. */
describe('the NPS survey in Chromium', async () => {
  const { database } = await createTestDatabase('nps_browser');
  const pool = database.pool;
  const { app } = testApp(database, { routers: [npsRoutes({ pool, secret: NPS_SECRET })] });
  const server = await listening(app);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('answers 9 with a comment, then changes it to 6, the answer stored each time', async () => {
    const shopId = await insertShop(pool, 'Kwiaty & Co');
    const survey = await sentSurvey(pool, shopId, { customerKey: 'ada@example.test' });
    const page = await browser.newPage();
    await page.goto(`${server.url}${survey.path}`);
    const question = page.getByRole('group', { name: 'How likely are you to recommend Kwiaty & Co to a friend?' });
    // The browser itself refuses a form without a score (required radios): nothing is sent.
    await page.getByRole('button', { name: 'Send my answer' }).click();
    expect(await page.locator('input[name="score"]:invalid').count()).toBe(11);
    await question.getByRole('radio', { name: '9', exact: true }).check();
    await page.getByLabel('What is the main reason for your score? (optional)').fill('Fast delivery\nlovely flowers');
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    const stored = async () =>
      (
        await pool.query<RowDataPacket[]>('SELECT score, comment, enrollment_id FROM nps_responses WHERE outbox_id = ?', [survey.outboxId])
      )[0];
    expect(await stored()).toEqual([{ score: 9, comment: 'Fast delivery\nlovely flowers', enrollment_id: survey.enrollmentId }]);

    await page.goto(`${server.url}${survey.path}`);
    expect(await question.getByRole('radio', { name: '9', exact: true }).isChecked()).toBe(true);
    await question.getByRole('radio', { name: '6', exact: true }).check();
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    expect(await stored()).toEqual([{ score: 6, comment: 'Fast delivery\nlovely flowers', enrollment_id: survey.enrollmentId }]);
    await page.close();
  });
});
