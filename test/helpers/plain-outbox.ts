import type { Pool } from 'mysql2/promise';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import type { StepMessage } from '../../sidecar/src/messages/step-message.ts';

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
