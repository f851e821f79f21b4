import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { queueRoutes } from '../../sidecar/src/flows/admin/queue-routes.ts';
import { testRecipientRoutes } from '../../sidecar/src/flows/admin/test-recipients.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { editorApi } from '../helpers/editor-api.ts';

/**
 * The refusals a merchant reads in the admin beyond the editors — the queue's actions, the test
 * recipients, a WhatsApp template named the way WhatsApp Manager does not take, the admin sign-in —
 * come in the request's language (Accept-Language: pl gives Polish), and stay English without it.
 */
describe('the admin API’s refusals in the merchant’s language', async () => {
  const unused = () => {
    throw new Error('no shop is called in these tests');
  };
  const { app, admin, token } = await editorApi('refusals_language', (pool) => [
    queueRoutes({ pool, wooClient: unused, orderChanges: { record: unused } as never, kickSteps: () => undefined }),
    testRecipientRoutes({
      pool,
      publicUrl: () => 'http://127.0.0.1:1',
      linkSecret: 'link-secret-for-refusal-language-tests-0123456789',
      from: 'sidecar@example.test',
      channels: () => ({ email: true, sms: false, whatsapp: true }),
    }),
  ]);

  it('a queue action on an enrollment the shop does not have', async () => {
    const pl = await admin('post', '/api/queue/424242/cancel', 'pl').send({}).expect(409);
    expect(pl.body.error).toEqual({
      code: 'not_active',
      message: 'Pozycji 424242 nie ma już w kolejce odzyskiwania tego sklepu (zakończona, przerwana lub nieznana).',
    });
    const unknown = await admin('get', '/api/queue/424242', 'pl-PL,pl;q=0.9').expect(404);
    expect(unknown.body.error.message).toBe('W kolejce tego sklepu nie ma pozycji 424242.');
    const en = await admin('post', '/api/queue/424242/cancel').send({}).expect(409);
    expect(en.body.error.message).toBe('Enrollment 424242 is not in this shop’s recovery any more (finished, exited or unknown).');
  });

  it('a test recipient that is neither an email address nor a phone number', async () => {
    const pl = await admin('post', '/api/test-recipients', 'pl').send({ address: 'anna@@example' }).expect(400);
    expect(pl.body.error).toEqual({
      code: 'invalid_body',
      message: 'To nie jest jeden adres e-mail.',
      details: [{ field: 'address', message: 'adres e-mail' }],
    });
    const phone = await admin('post', '/api/test-recipients', 'pl').send({ address: 'call me' }).expect(400);
    expect(phone.body.error.message).toBe('Podaj adres e-mail albo numer telefonu z kodem kraju.');
    expect(phone.body.error.details).toEqual([{ field: 'address', message: 'adres e-mail albo numer taki jak +48 500 000 001' }]);
    const en = await admin('post', '/api/test-recipients').send({ address: 'anna@@example' }).expect(400);
    expect(en.body.error.message).toBe('That is not one email address.');
  });

  it('a WhatsApp template name WhatsApp Manager would not take, in a flow save', async () => {
    const cart = PRESETS['abandoned-cart'];
    const step = cart.steps[0]!;
    const definition = {
      ...cart,
      steps: [{ ...step, whatsapp: { ...step.whatsapp!, template: { ...step.whatsapp!.template, name: 'Cart Reminder' } } }],
    };
    const problem = (language?: string) =>
      admin('put', '/api/flows/abandoned-cart', language).send({ definition, enabled: false }).expect(400);
    expect((await problem('pl')).body.error.details).toContainEqual({
      field: 'steps.0.whatsapp.template.name',
      message: 'małe litery, cyfry i podkreślenia, tak jak w WhatsApp Managerze',
    });
    // The schema is built once, at import: the wording is made per refusal, so English follows Polish.
    expect((await problem()).body.error.details).toContainEqual({
      field: 'steps.0.whatsapp.template.name',
      message: 'lower-case letters, digits and underscores, as in WhatsApp Manager',
    });
  });

  it('a wrong admin token, and a request naming no shop', async () => {
    const pl = await admin('get', '/api/queue', 'pl', 'not-the-admin-token-at-all-0123456789').expect(401);
    expect(pl.body.error).toEqual({ code: 'unauthorized', message: 'brak tokenu administratora albo token jest błędny' });
    const en = await admin('get', '/api/queue', undefined, 'not-the-admin-token-at-all-0123456789').expect(401);
    expect(en.body.error.message).toBe('admin token missing or wrong');
    const noShop = await request(app).get('/api/queue').set('authorization', `Bearer ${token}`).set('accept-language', 'pl').expect(400);
    expect(noShop.body.error.message).toBe('wskaż sklep nagłówkiem X-Comeback-Shop-Id');
  });
});
