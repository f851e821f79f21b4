/**
 * Whether two orders are one purchase: the customer whose payment failed or who left the pay page
 * may check out again, and a real shop then has a new order with the same items (classic checkout
 * reuses the unpaid order only while the session still holds it and the cart is unchanged,
 * WC_Checkout::create_order's `order_awaiting_payment`; another device or a new session makes a
 * new one). Same items: the same products and variations in the same quantities, whatever the
 * prices, coupons or shipping (a recovery coupon changes the total, not the purchase). An order
 * without items is never the same as another.
 */
export function samePurchase(a: unknown, b: unknown): boolean {
  const left = itemsOf(a);
  const right = itemsOf(b);
  if (left.size === 0 || left.size !== right.size) return false;
  for (const [key, quantity] of left) if (right.get(key) !== quantity) return false;
  return true;
}

/** Quantities by product and variation (a product listed on two lines counts once, added up). */
function itemsOf(lineItems: unknown): Map<string, number> {
  const items = new Map<string, number>();
  if (!Array.isArray(lineItems)) return items;
  for (const raw of lineItems as Array<Record<string, unknown>>) {
    const product = Number(raw?.product_id ?? 0);
    const variation = Number(raw?.variation_id ?? 0);
    const quantity = Number(raw?.quantity ?? 0);
    if (!product || !(quantity > 0)) continue;
    const key = `${product}:${variation}`;
    items.set(key, (items.get(key) ?? 0) + quantity);
  }
  return items;
}
