import {
  formatDateTime,
  formatDay,
  formatMoney,
  gatewayTitle,
  instantOfWallClock,
  wallClockInput,
  type DisplayFormats,
} from '@comeback/sidecar/formats';
import type { ShopConnection } from '@comeback/sidecar/api-contracts';

/**
 * Money, dates and payment methods on every screen as the shop writes them: the same rules the
 * reminders print with (`@comeback/sidecar/formats`), with the shop's formats and gateway titles
 * from GET /api/shop/connection. The app sets them once loaded (`useShopFormats` in App); until
 * then the browser's own formats stand in.
 */
let shop: { formats: DisplayFormats | null; gateways: ReadonlyArray<{ id: string; title: string }> } = { formats: null, gateways: [] };

/** Called by the app on each render with the connection's shop: the screens below it format with it. */
export function applyShopFormats(connected: ShopConnection['shop'] | undefined): void {
  if (connected && connected.formats !== shop.formats) shop = { formats: connected.formats, gateways: connected.gateways };
}

/** "$1,234.50" as the shop prints it; "—" for no amount. */
export function money(amount: string | number | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  if (shop.formats) return formatMoney(amount, currency, shop.formats);
  const value = Number(amount);
  try {
    return currency ? value.toLocaleString(undefined, { style: 'currency', currency }) : value.toFixed(2);
  } catch {
    return `${value.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

/** A moment as the shop writes it ("March 5, 2026 2:05 pm", in the shop's zone); "—" for none. */
export function when(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (shop.formats) return formatDateTime(value, shop.formats) || '—';
  return new Date(value).toLocaleString();
}

/** A day as the shop writes it ("March 5, 2026"); a "2026-03-05" is that calendar day. */
export function day(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (shop.formats) return formatDay(value, shop.formats) || '—';
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(value).toLocaleDateString();
}

/** A payment method by the title the shop's checkout gives it ("Direct bank transfer"), the order's own title first. */
export function paymentMethod(id: string | null | undefined, title?: string | null): string {
  if (title) return title;
  if (!id) return '—';
  return gatewayTitle(id, shop.gateways);
}

/** A money field's label with the shop's own symbol, as its prices show it: "Amount off ($)", "Minimum total (zł)". */
export function moneyLabel(label: string): string {
  const symbol = shop.formats ? shop.formats.currencySymbol || shop.formats.currency : null;
  return symbol ? `${label} (${symbol})` : label;
}

/** The shop's time zone ("Europe/Warsaw", or "+02:00" for a site set to an offset); the browser's until the shop is loaded. */
export function shopTimeZone(): string {
  return shop.formats?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The shop's zone in words: "Europe/Warsaw", "UTC+05:30" for a site set to an offset, "UTC" for none. */
export function shopTimeZoneName(): string {
  const zone = shopTimeZone();
  if (/^[+-]00:00$/.test(zone)) return 'UTC';
  return /^[+-]\d{2}:\d{2}$/.test(zone) ? `UTC${zone}` : zone;
}

/** A datetime-local field's value ("2027-01-15T09:00") for a moment, on the shop's clock; "" for none. */
export function shopClockInput(value: string | null | undefined): string {
  if (!value) return '';
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? '' : wallClockInput(at, shopTimeZone());
}

/** The moment a datetime-local field's value means on the shop's clock (not the browser's); null for none. */
export function instantOfShopClock(value: string): Date | null {
  return value ? instantOfWallClock(value, shopTimeZone()) : null;
}
