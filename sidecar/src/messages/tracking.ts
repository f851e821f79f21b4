import type { OrderTracking } from './render-context.ts';

type Meta = Array<{ key: string; value: unknown }>;

/**
 * An order's parcel tracking from its meta (the REST order's `meta_data`), read the way the
 * plugin reads it (Comeback_Order_Context::tracking()), so a shipment message says the same in
 * both. The first source with a tracking number wins:
 * 1. `_comeback_tracking_number` / `_comeback_tracking_url` (set through Comeback);
 * 2. WooCommerce Shipment Tracking's `_wc_shipment_tracking_items`: the last item with a number,
 *    its `custom_tracking_link` and its carrier (`custom_tracking_provider`, else the
 *    `tracking_provider` slug). For the extension's predefined carriers it builds the address
 *    itself and stores none, so there is then no link;
 * 3. `_tracking_number` / `_tracking_url`, which several shipping plugins write.
 * A web address that is not http(s) is left out. Null when the order has no tracking number.
 */
export function trackingFromOrderMeta(meta: Meta): OrderTracking | null {
  const own = fromPair(meta, '_comeback_tracking_number', '_comeback_tracking_url');
  if (own) return own;
  const items = first(meta, '_wc_shipment_tracking_items');
  // PHP keeps an array's keys, so one with items deleted arrives as a JSON object.
  const list = Array.isArray(items) ? items : isRecord(items) ? Object.values(items) : [];
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i];
    if (!isRecord(item)) continue;
    const number = scalar(item.tracking_number);
    if (number === '') continue;
    return withOptional(number, url(item.custom_tracking_link), scalar(item.custom_tracking_provider) || scalar(item.tracking_provider));
  }
  return fromPair(meta, '_tracking_number', '_tracking_url');
}

function fromPair(meta: Meta, numberKey: string, urlKey: string): OrderTracking | null {
  const number = scalar(first(meta, numberKey));
  return number === '' ? null : withOptional(number, url(first(meta, urlKey)), '');
}

function withOptional(number: string, url: string, carrier: string): OrderTracking {
  return { number, ...(url ? { url } : {}), ...(carrier ? { carrier } : {}) };
}

/** WordPress's get_meta($key, true): the first value stored under the key. */
function first(meta: Meta, key: string): unknown {
  return meta.find((m) => m.key === key)?.value;
}

/** A string (trimmed as PHP's trim() does) or an integer as text; anything else counts as empty. */
function scalar(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- PHP's trim() set is the point: NUL and vertical tab (\x0B) are in it
  if (typeof value === 'string') return value.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return '';
}

function url(value: unknown): string {
  const text = scalar(value);
  return /^https?:\/\//i.test(text) ? text : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
