import { versionKey } from '../definition/flow-store.ts';

/**
 * The keys a step's message goes under, written once for the step runner and the channel
 * fallback: its template's (flow version and step; the compiled text is cached under it) and
 * its idempotency key (enrollment and step, so a step that runs twice queues one message; a
 * fallback's adds the channel, one message per channel tried). A step's coupon is issued under
 * the step's key too, so a retried step finds its own.
 */

export const stepKey = (enrollmentId: number, step: number) => `enrollment:${enrollmentId}:step:${step}`;

export const stepTemplateKey = (flow: string, flowVersion: number, step: number) => `${versionKey(flow, flowVersion)}:${step}`;
