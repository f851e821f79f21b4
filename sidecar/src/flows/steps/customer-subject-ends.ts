import { lapsedAfter, voucherOf, type CustomerSubject } from '../../customers/customer-subjects.ts';
import type { FlowDefinition } from '../definition/flow-definition.ts';

/**
 * Why a message to a customer no longer makes sense (the re-check right before sending), or null:
 * they bought since they lapsed, the voucher was used or has expired.
 */
export function customerSubjectEnds(flow: FlowDefinition, subjectId: string, subject: CustomerSubject, now: Date): string | null {
  const { customer, event } = subject;
  if (flow.trigger.event === 'customer.lapsed') {
    if (!customer.lastPurchaseAt) return 'not a customer any more';
    // One second of slack: the id keeps whole seconds.
    if (customer.lastPurchaseAt.getTime() >= lapsedAfter(subjectId) + 1000) return 'purchased';
  }
  if (flow.trigger.event === 'voucher.issued' || flow.trigger.event === 'voucher.expiring') {
    const voucher = voucherOf(event);
    if (!voucher) return 'no voucher';
    if (event!.voucherRedeemed) return 'voucher used';
    if (voucher.expiresAt && new Date(voucher.expiresAt).getTime() <= now.getTime()) return 'voucher expired';
  }
  return null;
}
