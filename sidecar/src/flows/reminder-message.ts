import type { Pool, RowDataPacket } from 'mysql2/promise';
import { unsubscribeHeaders } from '../channels/unsubscribe-headers.ts';
import { newLinkRef, signLinkToken } from '../links/link-token.ts';
import { compileTemplate, render, type RenderContext } from '../messages/index.ts';
import { enqueueMessage } from '../messages/outbox.ts';
import type { StepMessage } from './step-runner.ts';
import { jsonColumn } from '../db/json-column.ts';

export type ReminderQueuerDeps = {
  pool: Pool;
  /** Where customers reach the sidecar; a getter, because it is known only once the server listens. */
  publicUrl: () => string;
  linkSecret: string;
  linkTtlDays: number;
  from: string;
};

type CompanySettings = { name?: string; address?: string[]; taxId?: string; bankAccounts?: RenderContext['shop']['bankAccounts'] };

/**
 * Turns a due reminder step into a message in the outbox: the online or offline body for the
 * order's gateway, rendered for this customer, with a signed payment link that carries only a
 * random reference (stored on the outbox row) and expires.
 */
export function createReminderQueuer(deps: ReminderQueuerDeps): (message: StepMessage) => Promise<void> {
  return async (m) => {
    const [shops] = await deps.pool.query<RowDataPacket[]>('SELECT name, url, timezone FROM shops WHERE id = ?', [m.shopId]);
    const shop = shops[0]!;
    const [companyRows] = await deps.pool.query<RowDataPacket[]>("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'company'", [m.shopId]);
    const company = jsonColumn<CompanySettings>(companyRows[0]?.value) ?? {};

    const publicUrl = deps.publicUrl();
    const ref = newLinkRef();
    const expiresAt = Math.floor(Date.now() / 1000) + deps.linkTtlDays * 86_400;
    const payment = `${publicUrl}/r/${signLinkToken({ kind: 'pay', ref, expiresAt }, deps.linkSecret)}`;
    const unsubscribeUntil = Math.floor(Date.now() / 1000) + 365 * 86_400;
    const unsubscribe = `${publicUrl}/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: unsubscribeUntil }, deps.linkSecret)}`;
    const raw = m.order as unknown as Record<string, unknown>;
    const billing = (raw.billing ?? {}) as Record<string, string>;
    const items = Array.isArray(raw.line_items) ? (raw.line_items as Array<Record<string, unknown>>) : [];
    const shopName = shop.name ?? new URL(shop.url).host;

    const context: RenderContext = {
      shop: {
        name: shopName,
        url: shop.url,
        company: { name: company.name ?? shopName, address: company.address ?? [], ...(company.taxId ? { taxId: company.taxId } : {}) },
        bankAccounts: company.bankAccounts ?? [],
      },
      order: {
        number: String(raw.number ?? m.order.id),
        dateCreated: m.order.date_created_gmt ?? new Date(),
        total: m.order.total,
        currency: m.order.currency ?? 'USD',
        paymentMethodTitle: String(raw.payment_method_title ?? m.order.payment_method),
        items: items.map((i) => ({ name: String(i.name ?? ''), quantity: Number(i.quantity ?? 1), total: String(i.total ?? '') })),
      },
      customer: { firstName: billing.first_name ?? '', lastName: billing.last_name ?? '', email: billing.email ?? '' },
      links: m.gateway === 'online' ? { payment, unsubscribe } : { unsubscribe },
      locale: 'en',
      timeZone: shop.timezone ?? 'UTC',
    };
    const compiled = await compileTemplate({
      id: `recovery:${m.shopId}:${m.step}`,
      version: 1, // the compiler re-checks the text, so an edited reminder is never served stale
      subject: m.reminder.subject,
      body: m.gateway === 'online' ? m.reminder.onlineBody : m.reminder.offlineBody,
      context: m.gateway,
    });
    const rendered = render(compiled, context);
    await enqueueMessage(deps.pool, {
      idempotencyKey: m.idempotencyKey,
      shopId: m.shopId,
      enrollmentId: m.enrollmentId,
      step: m.step,
      to: context.customer.email,
      from: deps.from,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      // RFC 8058: one line; the one-click Post header only for an https URL (the helper decides).
      headers: unsubscribeHeaders(unsubscribe),
      linkRef: ref,
    });
  };
}
