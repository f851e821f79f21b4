import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { checkAlerts } from '../../sidecar/src/alerts/alert-checks.ts';
import { notifyAlerts } from '../../sidecar/src/alerts/alert-email.ts';
import { alertRoutes } from '../../sidecar/src/alerts/alert-routes.ts';
import { saveAlertSettings } from '../../sidecar/src/alerts/alert-settings.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { shopFormatsSchema } from '../../sidecar/src/messages/shop-formats.ts';
import { saveFormats } from '../../sidecar/src/woo/shop-profile.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-alert-tests-0123456789';
const FROM = 'Comeback <sender@sidecar.test>';
const MIN = 60_000;

describe('admin alerts: provider failing, queue stuck, webhook disabled', async () => {
  const { database } = await createTestDatabase('alerts');
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [alertRoutes({ pool })] })],
  });

  // Every check runs at a chosen time, moving forward only, and hours before the real clock: the
  // alert emails are queued for "now" (the real one), so they are never due, let alone late, here.
  let clock = Date.now() - 8 * 60 * MIN;
  const advance = (minutes: number) => new Date((clock += minutes * MIN));
  const at = (offsetMinutes: number) => new Date(clock + offsetMinutes * MIN);

  let shops = 0;
  const newShop = async (name = `Shop ${++shops}`) => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      `https://shop${shops}-${Date.now()}.test`,
      name,
      'secret',
    ]);
    return r.insertId;
  };
  let keys = 0;
  const outboxRow = async (
    shopId: number,
    row: {
      channel?: string;
      status: string;
      attempts?: number;
      nextAttemptAt?: Date | null;
      lastError?: string | null;
      createdAt: Date;
      sentAt?: Date | null;
    },
  ) => {
    const [r] = await pool.query<ResultSetHeader>(
      `INSERT INTO outbox (idempotency_key, shop_id, channel, recipient, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at)
       VALUES (?, ?, ?, 'customer@example.test', 'Reminder', ?, ?, ?, ?, ?, ?)`,
      [
        `test:${++keys}`,
        shopId,
        row.channel ?? 'email',
        row.status,
        row.attempts ?? 1,
        row.nextAttemptAt ?? null,
        row.lastError ?? null,
        row.createdAt,
        row.sentAt ?? null,
      ],
    );
    return r.insertId;
  };
  const alertsOf = async (shopId: number, kind?: string) =>
    (
      await pool.query<RowDataPacket[]>(
        `SELECT * FROM alerts WHERE shop_id = ?${kind ? ' AND kind = ?' : ''} ORDER BY id`,
        kind ? [shopId, kind] : [shopId],
      )
    )[0];
  const open = (rows: RowDataPacket[]) => rows.filter((a) => a.resolved_at === null);

  it('provider_failing: five failed sends of a channel in 15 minutes and none sent opens one alert, a send that goes through resolves it', async () => {
    const shopId = await newShop();
    const t = advance(60);
    // Five retries (failed one backoff before their next attempt) and one given up, on email; four SMS failures only.
    for (let i = 0; i < 5; i++)
      await outboxRow(shopId, {
        status: 'retry',
        attempts: 1,
        nextAttemptAt: at(-9 + i),
        lastError: 'retryable ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25',
        createdAt: at(-11),
      });
    await outboxRow(shopId, {
      status: 'failed',
      attempts: 1,
      lastError: `permanent 535: <b>Authentication</b> "failed" & ${'x'.repeat(500)}`,
      createdAt: at(-2),
    });
    for (let i = 0; i < 4; i++)
      await outboxRow(shopId, {
        channel: 'sms',
        status: 'failed',
        attempts: 1,
        lastError: 'permanent 21211: invalid number',
        createdAt: at(-3),
      });
    // An old failure and a retry scheduled by the queue's retry button (no attempt yet) do not count.
    await outboxRow(shopId, { channel: 'sms', status: 'failed', attempts: 1, lastError: 'old', createdAt: at(-40) });
    await outboxRow(shopId, { channel: 'sms', status: 'retry', attempts: 0, nextAttemptAt: at(1), createdAt: at(-3) });

    await checkAlerts(pool, t);
    let alerts = await alertsOf(shopId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'provider_failing',
      subject: 'email',
      open_key: `${shopId}:provider_failing:email`,
      resolved_at: null,
    });
    expect(alerts[0]!.message).toContain('6 email sends failed');
    // The latest error, capped.
    expect(alerts[0]!.message).toContain('permanent 535: <b>Authentication</b> "failed" & xxx');
    expect(alerts[0]!.message).not.toContain('x'.repeat(400));
    expect(alerts[0]!.message).not.toContain('ECONNREFUSED');

    // Checked again, and by two sidecars at once: still one row, seen later.
    await checkAlerts(pool, advance(1));
    await Promise.all([checkAlerts(pool, advance(1)), checkAlerts(pool, at(0))]);
    alerts = await alertsOf(shopId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.last_seen_at.getTime()).toBe(clock);
    expect(alerts[0]!.opened_at.getTime()).toBe(t.getTime());

    // Fewer failures in the window is not a recovery (a quiet shop): the alert stays open. (The
    // retries, now overdue with no dispatcher running, make the queue stuck too: another alert.)
    await checkAlerts(pool, advance(20));
    expect(open(await alertsOf(shopId, 'provider_failing'))).toHaveLength(1);
    expect(open(await alertsOf(shopId, 'queue_stuck')).map((a) => a.subject)).toEqual(['messages']);

    // A send that goes through resolves it, and the key is free again.
    await outboxRow(shopId, { status: 'sent', createdAt: at(-60), sentAt: at(-1) });
    await checkAlerts(pool, advance(1));
    alerts = await alertsOf(shopId, 'provider_failing');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.resolved_at?.getTime()).toBe(clock);
    expect(alerts[0]!.open_key).toBeNull();

    // Failing again once that send is out of the window: a new alert, the old one kept.
    const later = advance(30);
    for (let i = 0; i < 5; i++)
      await outboxRow(shopId, { status: 'failed', attempts: 1, lastError: 'permanent 550: relay denied', createdAt: at(-5) });
    await checkAlerts(pool, later);
    alerts = await alertsOf(shopId, 'provider_failing');
    expect(alerts).toHaveLength(2);
    expect(open(alerts)).toHaveLength(1);
    expect(open(alerts)[0]!.message).toContain('relay denied');
    await pool.query('DELETE FROM outbox WHERE shop_id = ?', [shopId]);
    await checkAlerts(pool, advance(1));
  });

  it('queue_stuck: steps and messages due for more than 15 minutes with nobody working on them', async () => {
    const shopId = await newShop();
    const t = advance(60);
    const enroll = async (subjectId: string, nextStepAt: Date, lockedAt: Date | null) => {
      const [r] = await pool.query<ResultSetHeader>(
        "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, next_step_at, locked_at) VALUES (?, 'unpaid', 'order', ?, 'active', ?, ?)",
        [shopId, subjectId, nextStepAt, lockedAt],
      );
      return r.insertId;
    };
    const stuck = await enroll('1', at(-30), null);
    const abandoned = await enroll('2', at(-25), at(-24)); // its runner's lease ran out long ago
    await enroll('3', at(-30), at(-1)); // leased now: being worked on
    await enroll('4', at(-10), null); // late, but not 15 minutes late
    const message = await outboxRow(shopId, { status: 'pending', attempts: 0, nextAttemptAt: at(-20), createdAt: at(-20) });
    await outboxRow(shopId, { status: 'pending', attempts: 0, nextAttemptAt: at(-5), createdAt: at(-5) });

    await checkAlerts(pool, t);
    await checkAlerts(pool, advance(1));
    let alerts = await alertsOf(shopId);
    expect(alerts.map((a) => a.subject).sort()).toEqual(['messages', 'steps']);
    const steps = alerts.find((a) => a.subject === 'steps')!;
    expect(steps.kind).toBe('queue_stuck');
    expect(steps.message).toContain('2 reminder steps have been due since');
    expect(steps.message).toContain(at(-31).toISOString().slice(0, 16).replace('T', ' '));
    expect(alerts.find((a) => a.subject === 'messages')!.message).toContain('1 message has been waiting to be sent since');

    // Cleared: the steps run and the message is sent.
    await pool.query("UPDATE enrollments SET status = 'completed', next_step_at = NULL WHERE id IN (?)", [[stuck, abandoned]]);
    await pool.query("UPDATE enrollments SET next_step_at = ? WHERE shop_id = ? AND status = 'active'", [at(60), shopId]);
    await pool.query("UPDATE outbox SET status = 'sent', sent_at = ?, next_attempt_at = NULL WHERE shop_id = ?", [at(0), shopId]);
    await checkAlerts(pool, advance(1));
    alerts = await alertsOf(shopId);
    expect(alerts).toHaveLength(2);
    expect(open(alerts)).toHaveLength(0);

    // Stuck again: a new row.
    await pool.query("UPDATE outbox SET status = 'retry', next_attempt_at = ? WHERE id = ?", [at(-16), message]);
    await checkAlerts(pool, advance(1));
    alerts = await alertsOf(shopId, 'queue_stuck');
    expect(alerts).toHaveLength(3);
    expect(open(alerts).map((a) => a.subject)).toEqual(['messages']);
    await pool.query('DELETE FROM outbox WHERE shop_id = ?', [shopId]);
    await pool.query('DELETE FROM enrollments WHERE shop_id = ?', [shopId]);
    await checkAlerts(pool, advance(1));
  });

  it('webhook_disabled: from the webhooks the sweep stored, and a shop it could not reach', async () => {
    const shopId = await newShop();
    const hook = (id: number, status: string, action = 'unchanged') => ({ topic: `order.t${id}`, id, status, action });
    const setHooks = (hooks: object[], connectionError: string | null = null) =>
      pool.query('UPDATE shops SET webhooks = ?, connection_error = ? WHERE id = ?', [JSON.stringify(hooks), connectionError, shopId]);
    await setHooks(
      [
        hook(11, 'disabled'),
        { ...hook(12, 'active', 'reactivated'), repairedAt: at(0).toISOString() },
        hook(13, 'active'),
        hook(14, 'paused'),
      ],
      'WooCommerce REST failed while listing webhooks: HTTP 503',
    );

    await checkAlerts(pool, advance(1));
    await checkAlerts(pool, advance(1));
    let alerts = await alertsOf(shopId);
    expect(alerts.map((a) => a.subject).sort()).toEqual(['11', '12', '14', 'connection']);
    expect(alerts.every((a) => a.kind === 'webhook_disabled' && a.resolved_at === null)).toBe(true);
    const disabled = alerts.find((a) => a.subject === '11')!.message;
    expect(disabled).toContain('webhook 11 (order.t11) is disabled');
    expect(disabled).toContain('every 5 minutes');
    expect(disabled).toContain('public URL');
    expect(alerts.find((a) => a.subject === '12')!.message).toContain('turned it back on');
    expect(alerts.find((a) => a.subject === 'connection')!.message).toContain('HTTP 503');

    // The next sweep found them all active (and the shop reachable).
    await setHooks([hook(11, 'active'), hook(12, 'active'), hook(13, 'active'), hook(14, 'active')]);
    await checkAlerts(pool, advance(1));
    expect(open(await alertsOf(shopId))).toHaveLength(0);

    // Disabled again: a new alert beside the resolved one.
    await setHooks([hook(11, 'active', 'reactivated'), hook(12, 'active'), hook(13, 'active'), hook(14, 'active')]);
    await checkAlerts(pool, advance(1));
    alerts = await alertsOf(shopId);
    expect(alerts.filter((a) => a.subject === '11')).toHaveLength(2);
    expect(open(alerts).map((a) => a.subject)).toEqual(['11']);
    await pool.query('UPDATE shops SET webhooks = NULL WHERE id = ?', [shopId]);
    await checkAlerts(pool, advance(1));
  });

  it('emails each opened alert once, through the outbox, escaped, to the shop’s alert address — none before it has one', async () => {
    const withAddress = await newShop('Ana’s <Shoes> & Co');
    const withoutAddress = await newShop();
    await saveAlertSettings(pool, withAddress, { email: 'owner@shoes.test' });
    for (const shopId of [withAddress, withoutAddress]) {
      await pool.query('UPDATE shops SET connection_error = ? WHERE id = ?', ['<script>alert(1)</script> & "quotes"', shopId]);
    }
    await checkAlerts(pool, advance(60));
    await Promise.all([notifyAlerts(pool, { from: FROM, now: at(0) }), notifyAlerts(pool, { from: FROM, now: at(0) })]);
    // No address of its own: nothing is mailed to the sidecar's sender (an inbox nobody reads); the alert waits in the admin.
    const [[unsent]] = await pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE 'alert:%' AND shop_id = ?",
      [withoutAddress],
    );
    expect(Number(unsent!.n)).toBe(0);
    expect((await alertsOf(withoutAddress))[0]!.notified_at).toBeNull();
    // Once the merchant gives an address, the alert still open is emailed there.
    await saveAlertSettings(pool, withoutAddress, { email: 'late@shop.test' });
    await notifyAlerts(pool, { from: FROM, now: at(0) });

    const alerts = [...(await alertsOf(withAddress)), ...(await alertsOf(withoutAddress))];
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert.notified_at?.getTime()).toBe(clock);
      const [emails] = await pool.query<RowDataPacket[]>("SELECT * FROM outbox WHERE idempotency_key LIKE 'alert:%' AND shop_id = ?", [
        alert.shop_id,
      ]);
      expect(emails).toHaveLength(1);
      const email = emails[0]!;
      expect(email).toMatchObject({ idempotency_key: `alert:${alert.id}`, channel: 'email', status: 'pending' });
      expect(email.recipient).toBe(alert.shop_id === withAddress ? 'owner@shoes.test' : 'late@shop.test');
      expect(email.subject).toContain('The shop cannot be reached');
      expect(email.body_html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
      expect(email.body_html).not.toContain('<script>');
      expect(email.body_text).toContain('<script>alert(1)</script>');
    }
    const [[named]] = await pool.query<RowDataPacket[]>(
      "SELECT body_html, subject FROM outbox WHERE idempotency_key LIKE 'alert:%' AND shop_id = ?",
      [withAddress],
    );
    expect(named!.body_html).toContain('Ana’s &lt;Shoes&gt; &amp; Co');
    expect(named!.subject).toBe('[Comeback] Ana’s <Shoes> & Co: The shop cannot be reached');

    // Still open a minute later: no second email. Resolved and back: one more, for the new alert.
    await checkAlerts(pool, advance(1));
    await notifyAlerts(pool, { from: FROM });
    await pool.query('UPDATE shops SET connection_error = NULL WHERE id = ?', [withoutAddress]);
    await checkAlerts(pool, advance(1));
    await pool.query("UPDATE shops SET connection_error = 'timeout' WHERE id = ?", [withoutAddress]);
    await checkAlerts(pool, advance(1));
    await notifyAlerts(pool, { from: FROM });
    const [emails] = await pool.query<RowDataPacket[]>(
      "SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE 'alert:%' AND shop_id = ? ORDER BY id",
      [withoutAddress],
    );
    const ids = (await alertsOf(withoutAddress)).map((a) => `alert:${a.id}`);
    expect(ids).toHaveLength(2);
    expect(emails.map((e) => e.idempotency_key)).toEqual(ids);
    await pool.query('UPDATE shops SET connection_error = NULL WHERE id IN (?)', [[withAddress, withoutAddress]]);
    await checkAlerts(pool, advance(1));
  });

  it('words a Polish shop’s alerts in Polish, emails them so, and titles the list in the language the request asks for', async () => {
    const shopId = await newShop('Sklep Ani');
    await saveFormats(pool, shopId, shopFormatsSchema.parse({ locale: 'pl_PL' }));
    await saveAlertSettings(pool, shopId, { email: 'ania@sklep.test' });
    const hooks = [{ topic: 'order.updated', id: 21, status: 'disabled', action: 'unchanged' }];
    await pool.query('UPDATE shops SET webhooks = ?, connection_error = ? WHERE id = ?', [JSON.stringify(hooks), 'HTTP 503', shopId]);
    await checkAlerts(pool, advance(60));
    await notifyAlerts(pool, { from: FROM, now: at(0) });

    const list = (language?: string) => {
      const req = request(app).get('/api/alerts').set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
      return (language ? req.set('accept-language', language) : req)
        .expect(200)
        .then((res) => res.body.alerts as Array<Record<string, string>>);
    };
    const polish = await list('pl-PL,pl;q=0.9,en-US;q=0.8');
    const connection = polish.find((a) => a.subject === 'connection')!;
    expect(connection.title).toBe('Nie można połączyć się ze sklepem');
    expect(connection.message).toMatch(/^Comeback nie może połączyć się ze sklepem przez REST API WooCommerce: HTTP 503\. /);
    const webhook = polish.find((a) => a.subject === '21')!;
    expect(webhook.title).toBe('Webhook WooCommerce 21 został wyłączony');
    expect(webhook.message).toMatch(
      /^Webhook WooCommerce 21 \(order\.updated\) ma status disabled: zmiany zamówień nie docierają do Comeback/,
    );
    // An English admin gets English titles; the message stays as the check wrote it, in the shop's language.
    const english = await list();
    expect(english.find((a) => a.subject === 'connection')).toMatchObject({
      title: 'The shop cannot be reached',
      message: connection.message,
    });

    const [emails] = await pool.query<RowDataPacket[]>(
      "SELECT subject, body_text, body_html FROM outbox WHERE idempotency_key LIKE 'alert:%' AND shop_id = ? ORDER BY id",
      [shopId],
    );
    expect(emails.map((e) => e.subject).sort()).toEqual([
      '[Comeback] Sklep Ani: Nie można połączyć się ze sklepem',
      '[Comeback] Sklep Ani: Webhook WooCommerce 21 został wyłączony',
    ]);
    for (const email of emails) {
      expect(email.body_text).toContain('Otwarto ');
      expect(email.body_text).toContain('każdy alert wysyłamy e-mailem tylko raz.');
      expect(email.body_html).not.toContain('The alert stays');
    }
    await pool.query('UPDATE shops SET webhooks = NULL, connection_error = NULL WHERE id = ?', [shopId]);
    await checkAlerts(pool, advance(1));
  });

  it('the API lists and filters a shop’s alerts, dismisses an open one, and never touches another shop’s', async () => {
    const shopId = await newShop();
    const otherShop = await newShop();
    const as = (shop: number, req: request.Test) => req.set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shop));
    const t = advance(60);
    await pool.query('UPDATE shops SET connection_error = ? WHERE id = ?', ['HTTP 401', shopId]);
    await checkAlerts(pool, t);
    await pool.query('UPDATE shops SET connection_error = NULL, webhooks = ? WHERE id = ?', [
      JSON.stringify([{ topic: 'order.created', id: 7, status: 'disabled', action: 'unchanged' }]),
      shopId,
    ]);
    await checkAlerts(pool, advance(2));
    await pool.query('UPDATE shops SET connection_error = ? WHERE id = ?', ['HTTP 500', otherShop]);
    await checkAlerts(pool, advance(1));

    await request(app).get('/api/alerts').expect(401);
    const all = (await as(shopId, request(app).get('/api/alerts?state=all')).expect(200)).body.alerts;
    expect(all.map((a: { subject: string }) => a.subject)).toEqual(['7', 'connection']);
    expect(all[1]).toMatchObject({
      kind: 'webhook_disabled',
      subject: 'connection',
      openedAt: t.toISOString(),
      resolvedAt: expect.any(String),
      notifiedAt: null,
    });
    expect(Object.keys(all[0]).sort()).toEqual([
      'id',
      'kind',
      'lastSeenAt',
      'message',
      'notifiedAt',
      'openedAt',
      'resolvedAt',
      'subject',
      'title',
    ]);
    const openOnes = (await as(shopId, request(app).get('/api/alerts')).expect(200)).body.alerts;
    expect(openOnes.map((a: { id: number }) => a.id)).toEqual([all[0].id]);
    expect((await as(shopId, request(app).get('/api/alerts?state=open')).expect(200)).body.alerts).toEqual(openOnes);
    expect((await as(shopId, request(app).get('/api/alerts?state=closed')).expect(400)).body.error.code).toBe('invalid_query');

    // Another shop's alert is not there for this shop: listed, or dismissed.
    const foreign = (await as(otherShop, request(app).get('/api/alerts')).expect(200)).body.alerts[0];
    expect(foreign.subject).toBe('connection');
    await as(shopId, request(app).post(`/api/alerts/${foreign.id}/dismiss`)).expect(404);
    await as(shopId, request(app).post('/api/alerts/999999999/dismiss')).expect(404);
    await as(shopId, request(app).post('/api/alerts/nope/dismiss')).expect(404);
    expect((await alertsOf(otherShop))[0]!.resolved_at).toBeNull();

    const dismissed = (await as(shopId, request(app).post(`/api/alerts/${openOnes[0].id}/dismiss`)).expect(200)).body;
    expect(dismissed).toMatchObject({ id: openOnes[0].id, resolvedAt: expect.any(String) });
    expect((await as(shopId, request(app).post(`/api/alerts/${openOnes[0].id}/dismiss`)).expect(409)).body.error.code).toBe(
      'already_resolved',
    );
    expect((await as(shopId, request(app).get('/api/alerts')).expect(200)).body.alerts).toEqual([]);
    // Still disabled at the next check: it opens again, as a new alert.
    await checkAlerts(pool, advance(1));
    const reopened = (await as(shopId, request(app).get('/api/alerts')).expect(200)).body.alerts;
    expect(reopened).toHaveLength(1);
    expect(reopened[0].id).not.toBe(openOnes[0].id);
  });

  it('GET/PUT /api/settings/alerts: the shop’s address, none until the merchant gives one', async () => {
    const shopId = await newShop();
    const as = (req: request.Test) => req.set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
    expect((await as(request(app).get('/api/settings/alerts')).expect(200)).body).toEqual({ email: null });
    expect((await as(request(app).put('/api/settings/alerts')).send({ email: ' owner@shop.test ' }).expect(200)).body).toEqual({
      email: 'owner@shop.test',
    });
    expect((await as(request(app).get('/api/settings/alerts')).expect(200)).body).toEqual({ email: 'owner@shop.test' });
    const bad = (await as(request(app).put('/api/settings/alerts')).send({ email: 'not an address' }).expect(400)).body.error;
    expect(bad.code).toBe('invalid_settings');
    expect(bad.details).toEqual([{ field: 'email', message: 'Enter an email address, or leave the field empty to see alerts here only.' }]);
    await as(request(app).put('/api/settings/alerts')).send({}).expect(400);
    expect((await as(request(app).put('/api/settings/alerts')).send({ email: '' }).expect(200)).body).toEqual({ email: null });
  });
});
