import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyFor } from '../../messages/message-templates.ts';
import { sampleContext } from '../../messages/sample-context.ts';
import { renderEmail } from '../../messages/step-render.ts';
import { gatewaysFromRest, restGatewaySchema } from '../../woo/payment-gateways.ts';
import { parseFlowDefinition, type FlowDefinition } from './flow-definition.ts';
import { flowTemplateErrors } from './flow-texts.ts';
import { BACS_BODY, CHEQUE_BODY, GENERIC_OFFLINE_BODY } from './offline-texts.ts';
import { PRESETS } from './presets.ts';

/** The one offline text every unpaid-order flow stored before per-gateway texts: the bank transfer's. */
const OLD_TRANSFER_TEXT =
  'Hello [customer_first_name],\n\nwe are still waiting for the transfer for order [order_number] ([order_total]). Our bank details:\n\n[bank_details]\n\nPlease put [order_number] in the transfer title.';

const unpaid = PRESETS['unpaid-order'];
const email = unpaid.steps[0]!.email!;
const withEmail = (patch: Partial<typeof email>): FlowDefinition => ({
  ...unpaid,
  steps: [{ ...unpaid.steps[0]!, email: { ...email, ...patch } }],
});

describe('offline texts per payment gateway', () => {
  it('picks the gateway’s own text, else the generic offline one for an offline gateway, else the online one', () => {
    expect(bodyFor(email, { gateway: 'offline', method: 'bacs' })).toBe(BACS_BODY);
    expect(bodyFor(email, { gateway: 'offline', method: 'cheque' })).toBe(CHEQUE_BODY);
    expect(bodyFor(email, { gateway: 'offline', method: 'cod' })).toBe(GENERIC_OFFLINE_BODY);
    expect(bodyFor(email, { gateway: 'online', method: 'cheque' })).toBe(email.body);
    expect(bodyFor(email, null)).toBe(email.body);
    expect(bodyFor({ body: 'online' }, { gateway: 'offline', method: 'cod' })).toBe('online');
  });

  it('reads a flow stored with one (bank transfer) offline text as the bacs text, the generic text from the preset', () => {
    const stored = JSON.parse(JSON.stringify(unpaid)) as { steps: Array<{ email: Record<string, unknown> }> };
    stored.steps[0]!.email = { subject: email.subject, body: email.body, offlineBody: OLD_TRANSFER_TEXT };
    const upgraded = parseFlowDefinition(stored);
    expect(upgraded.steps[0]!.email).toEqual({
      subject: email.subject,
      body: email.body,
      offlineBody: GENERIC_OFFLINE_BODY,
      offlineBodies: { bacs: OLD_TRANSFER_TEXT },
    });
    // Read again (saved as upgraded), nothing changes; a flow that has per-gateway texts is never touched.
    expect(parseFlowDefinition(upgraded)).toEqual(upgraded);
    const edited = withEmail({ offlineBody: 'Generic', offlineBodies: {} });
    expect(parseFlowDefinition(edited).steps[0]!.email).toMatchObject({ offlineBody: 'Generic', offlineBodies: {} });
    expect(flowTemplateErrors(upgraded)).toEqual([]);
  });

  it('gives a cash-on-delivery order the generic text with the shop’s own instructions for it, no bank details', async () => {
    // The recorded shop's gateways as WooCommerce's REST API lists them (cod: "Pay with cash upon delivery.").
    const recorded = JSON.parse(
      readFileSync(new URL('../../../../test/fixtures/woocommerce/rest-payment-gateways.json', import.meta.url), 'utf8'),
    );
    const gateways = gatewaysFromRest(restGatewaySchema.array().parse(recorded));
    expect(gateways.map((g) => [g.id, g.title, g.instructions, g.offline])).toEqual([
      ['bacs', 'Direct bank transfer', '', true],
      ['cheque', 'Check payments', '', true],
      ['cod', 'Cash on delivery', 'Pay with cash upon delivery.', true],
    ]);
    const context = sampleContext({ links: { unsubscribe: 'https://comeback.example/u/x' } });
    context.order.paymentMethodTitle = 'Cash on delivery';
    context.order.paymentInstructions = gateways.find((g) => g.id === 'cod')!.instructions;
    const rendered = await renderEmail('offline-texts-test', email, { gateway: 'offline', method: 'cod' }, 'offline', context);
    expect(rendered.text).toContain('is still waiting for payment by Cash on delivery.');
    expect(rendered.text).toContain('Pay with cash upon delivery.');
    expect(rendered.text).not.toContain('DE89370400440532013000');
    const cheque = await renderEmail('offline-texts-test', email, { gateway: 'offline', method: 'cheque' }, 'offline', context);
    expect(cheque.text).toContain('Please make it payable to Mugs & More GmbH and send it to:');
    expect(cheque.text).not.toContain('DE89370400440532013000');
  });

  it('refuses [payment_link] in every offline text, at its gateway’s field with line and column', () => {
    const flow = withEmail({ offlineBodies: { bacs: BACS_BODY, cheque: 'Dear customer,\n  pay here: [payment_link]' } });
    expect(flowTemplateErrors(flow)).toEqual([
      expect.objectContaining({
        field: 'steps.0.email.offlineBodies.cheque',
        code: 'wrong_context',
        shortcode: 'payment_link',
        line: 2,
        column: 13,
      }),
    ]);
    expect(flowTemplateErrors(withEmail({ offlineBody: 'x [payment_link]' }))).toEqual([
      expect.objectContaining({ field: 'steps.0.email.offlineBody', code: 'wrong_context', line: 1, column: 3 }),
    ]);
  });

  it('refuses [bank_details] outside the bank-transfer text when the shop has no bank accounts: it would print nothing', () => {
    const flow = withEmail({ offlineBody: 'Transfer to [bank_details]', offlineBodies: { bacs: BACS_BODY, cheque: '[bank_details]' } });
    const errors = flowTemplateErrors(flow, { bankAccounts: false });
    expect(errors.map((e) => [e.field, e.shortcode, e.line, e.column])).toEqual([
      ['steps.0.email.offlineBody', 'bank_details', 1, 13],
      ['steps.0.email.offlineBodies.cheque', 'bank_details', 1, 1],
    ]);
    expect(errors[0]!.message).toMatch(/your shop has none, so it would print nothing/);
    // With bank accounts it prints them; the shop's facts unknown (the editor before they load), nothing is assumed.
    expect(flowTemplateErrors(flow, { bankAccounts: true })).toEqual([]);
    expect(flowTemplateErrors(flow)).toEqual([]);
  });
});
