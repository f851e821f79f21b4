import type { Pool } from 'mysql2/promise';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import type { StepMessage } from '../../sidecar/src/messages/step-message.ts';
import type { OrderChanges } from '../../sidecar/src/events/order-changes.ts';
import type { StepRunnerDeps } from '../../sidecar/src/flows/steps/step-runner.ts';
import type { WooClient } from '../../sidecar/src/woo/rest-client.ts';

/**
 * A step runner's queueMessage that writes a real outbox row with the step's subject and a fixed
 * plain body: for tests about what happens around a send (marks, notes), not about its text
 * (rendering has its own tests).
 */
export function plainOutboxQueuer(pool: Pool) {
  return (m: StepMessage) =>
    enqueueMessage(pool, {
      idempotencyKey: m.idempotencyKey,
      shopId: m.shopId,
      enrollmentId: m.enrollmentId,
      step: m.step,
      to: m.to,
      from: 'shop@example.test',
      subject: m.definition.email!.subject,
      html: '<p>pay</p>',
      text: 'pay',
    });
}

/** The step runner's deps for such tests: the email channel only, the stand-in shop's REST client, the test's clock. */
export function plainStepRunner(pool: Pool, client: WooClient, clock: () => Date, orderChanges: OrderChanges): StepRunnerDeps {
  return {
    pool,
    clock,
    workerName: 'test',
    orderChanges,
    wooClient: async () => client,
    channels: () => ({ email: true, sms: false, whatsapp: false }),
    queueMessage: plainOutboxQueuer(pool),
  };
}
