import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { signLinkToken } from '../../sidecar/src/links/link-token.ts';
import { loyaltyRoutes, npsSummary } from '../../sidecar/src/loyalty/loyalty-routes.ts';
import { npsRoutes } from '../../sidecar/src/loyalty/nps-page.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { insertShop, NPS_SECRET, sentSurvey, type SentSurvey } from './nps-fixtures.ts';

const TOKEN = 'admin-token-for-nps-tests-0123456789';
const SHOP_NAME = 'Kwiaty <b>"Ola"</b> & Co';

/** The customer's survey page and the merchant's NPS report, over HTTP on MariaDB. */
describe('the NPS survey page and GET /api/nps', async () => {
  const { database } = await createTestDatabase('nps_page');
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [npsRoutes({ pool, secret: NPS_SECRET }), adminApi({ pool, adminToken: TOKEN, shopRoutes: [loyaltyRoutes({ pool })] })],
  });
  let shopId = 0;
  let survey: SentSurvey;
  beforeAll(async () => {
    shopId = await insertShop(pool, SHOP_NAME);
    survey = await sentSurvey(pool, shopId, { customerKey: 'ada@example.test' });
  });
  const answers = async (outboxId: number) =>
    (await pool.query<RowDataPacket[]>('SELECT * FROM nps_responses WHERE outbox_id = ?', [outboxId]))[0];
  /** The form's own field names and method, read from the page, as a browser would submit it. */
  const formOf = (html: string) => ({
    method: /<form method="(\w+)"/.exec(html)?.[1],
    action: /<form[^>]*action=/.test(html) ? 'elsewhere' : 'same URL',
    scores: [...html.matchAll(/<input type="radio" name="(\w+)" value="(\d+)"/g)].map((m) => `${m[1]}=${m[2]}`),
    comment: /<textarea[^>]*name="(\w+)"[^>]*maxlength="(\d+)"/.exec(html)?.slice(1),
  });

  it('shows the question with the shop’s name escaped, 11 labelled scores and an optional comment', async () => {
    const res = await request(app).get(survey.path).expect(200).expect('content-type', /html/).expect('cache-control', 'no-store');
    expect(res.text).toContain('How likely are you to recommend Kwiaty &lt;b&gt;&quot;Ola&quot;&lt;/b&gt; &amp; Co to a friend?');
    expect(res.text).not.toContain('<b>"Ola"</b>');
    expect(formOf(res.text)).toEqual({
      method: 'post',
      action: 'same URL',
      scores: Array.from({ length: 11 }, (_, n) => `score=${n}`),
      comment: ['comment', '2000'],
    });
    expect(res.text).toMatch(/<fieldset[^>]*><legend/);
    expect(res.text).toContain('<label for="nps-comment">');
  });

  it('stores the score and comment a form post sends, and answering again changes the one answer', async () => {
    const thanks = await request(app)
      .post(survey.path)
      .type('form')
      .send('score=9&comment=Fast+delivery%0D%0Aand+%3Cnice%3E+flowers')
      .expect(200);
    expect(thanks.text).toContain('Thank you!');
    expect(thanks.text).toContain('Kwiaty &lt;b&gt;');
    expect(await answers(survey.outboxId)).toEqual([
      expect.objectContaining({
        shop_id: shopId,
        outbox_id: survey.outboxId,
        enrollment_id: survey.enrollmentId,
        customer_key: 'ada@example.test',
        score: 9,
        comment: 'Fast delivery\nand <nice> flowers',
      }),
    ]);
    const page = await request(app).get(survey.path).expect(200);
    expect(page.text).toContain('value="9" required checked');
    expect(page.text).toContain('and &lt;nice&gt; flowers</textarea>');
    await request(app).post(survey.path).type('form').send({ score: '4', comment: '' }).expect(200);
    expect(await answers(survey.outboxId)).toEqual([expect.objectContaining({ score: 4, comment: null })]);
  });

  it.each([['score=11'], ['score=4.5'], ['no-score=1'], ['score=-1'], ['score='], ['score=ten'], ['score=3&score=4']])(
    'refuses %s with the form again and the reason (400)',
    async (body) => {
      const before = await answers(survey.outboxId);
      const res = await request(app).post(survey.path).type('form').send(`${body}&comment=%3Ckept%3E`).expect(400);
      expect(res.text).toContain('role="alert"');
      expect(res.text).toContain('Please choose a score from 0 to 10.');
      expect(res.text).toContain('&lt;kept&gt;</textarea>');
      expect(res.text).not.toContain(' checked');
      expect(await answers(survey.outboxId)).toEqual(before);
    },
  );

  it('refuses a comment over 2,000 characters, keeping the chosen score', async () => {
    const res = await request(app)
      .post(survey.path)
      .type('form')
      .send({ score: '8', comment: 'é'.repeat(2001) })
      .expect(400);
    expect(res.text).toContain('under 2000 characters');
    expect(res.text).toContain('value="8" required checked');
    await request(app)
      .post(survey.path)
      .type('form')
      .send({ score: '8', comment: 'é'.repeat(2000) })
      .expect(200);
    expect((await answers(survey.outboxId))[0]!.comment).toHaveLength(2000);
  });

  it('answers an expired link 410, a tampered or foreign one 400 and an unknown message 404, each with a page', async () => {
    const old = await sentSurvey(pool, shopId, { customerKey: 'bob@example.test' }, new Date(Date.now() - 8 * 86_400_000));
    const expired = await request(app).get(old.path).expect(410);
    expect(expired.text).toContain('This survey has closed');
    await request(app).post(old.path).type('form').send('score=10').expect(410);
    expect(await answers(old.outboxId)).toEqual([]);
    await request(app)
      .get(`${survey.path.slice(0, -2)}xx`)
      .expect(400);
    const pay = signLinkToken({ kind: 'pay', ref: survey.ref, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, NPS_SECRET);
    expect((await request(app).get(`/nps/${pay}`).expect(400)).text).toContain('This link is not valid');
    const unknown = signLinkToken(
      { kind: 'nps', ref: 'AAAAAAAAAAAAAAAAAAAAAA', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
      NPS_SECRET,
    );
    expect((await request(app).post(`/nps/${unknown}`).type('form').send('score=10').expect(404)).text).toContain(
      'We could not find this survey',
    );
  });

  it('shows a test message’s survey but counts no answer from it', async () => {
    const test = await sentSurvey(pool, shopId, { customerKey: 'merchant@example.test', flow: null });
    await request(app).get(test.path).expect(200);
    expect((await request(app).post(test.path).type('form').send('score=10').expect(200)).text).toContain('from a test message');
    expect(await answers(test.outboxId)).toEqual([]);
  });

  it('reports the shop’s NPS: 3 promoters, 1 passive and 2 detractors of 6 make 17, latest answers first', async () => {
    const other = await insertShop(pool, 'Counted Shop');
    const admin = () => request(app).get('/api/nps').set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(other));
    expect((await admin().expect(200)).body).toEqual({
      summary: { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null },
      responses: [],
    });
    const scores = [10, 9, 0, 7, 10, 6];
    for (const [i, score] of scores.entries()) {
      const s = await sentSurvey(pool, other, { customerKey: `c${i}@example.test`, flow: i % 2 ? 'win-back' : 'nps-after-delivery' });
      await request(app)
        .post(s.path)
        .type('form')
        .send({ score: String(score), comment: `answer ${i}` })
        .expect(200);
      await pool.query('UPDATE nps_responses SET answered_at = ? WHERE outbox_id = ?', [new Date(Date.UTC(2026, 4, 1, 10, i)), s.outboxId]);
    }
    const { body } = await admin().expect(200);
    // (3 − 2) / 6 = 16.7 % → 17.
    expect(body.summary).toEqual({ responses: 6, promoters: 3, passives: 1, detractors: 2, score: 17 });
    expect(body.responses).toHaveLength(6);
    expect(body.responses[0]).toEqual({
      email: 'c5@example.test',
      customerKey: 'c5@example.test',
      score: 6,
      comment: 'answer 5',
      answeredAt: '2026-05-01T10:05:00.000Z',
      flow: 'win-back',
    });
    expect(body.responses.map((r: { score: number }) => r.score)).toEqual([...scores].reverse());
    expect(body.responses[5].flow).toBe('nps-after-delivery');
  });

  it('rounds the score half away from zero, like the textbook NPS', () => {
    expect(npsSummary(0, 7, 1).score).toBe(-13); // −12.5
    expect(npsSummary(1, 7, 0).score).toBe(13); // 12.5
    expect(npsSummary(0, 0, 4).score).toBe(-100);
  });
});
