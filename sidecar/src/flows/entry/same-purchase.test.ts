import { describe, expect, it } from 'vitest';
import { samePurchase } from './same-purchase.ts';

const line = (product_id: number, quantity: number, variation_id = 0, total = '10.00') => ({ product_id, variation_id, quantity, total });

describe('samePurchase', () => {
  it('the same products, variations and quantities are the same purchase, whatever the prices or line order', () => {
    expect(samePurchase([line(7, 1), line(9, 2, 91)], [line(9, 2, 91, '15.00'), line(7, 1, 0, '8.00')])).toBe(true);
    // One product on two lines is its quantities added up.
    expect(samePurchase([line(7, 2)], [line(7, 1), line(7, 1)])).toBe(true);
  });

  it('another product, variation or quantity, an extra item or a missing one is a different purchase', () => {
    expect(samePurchase([line(7, 1)], [line(8, 1)])).toBe(false);
    expect(samePurchase([line(9, 1, 91)], [line(9, 1, 92)])).toBe(false);
    expect(samePurchase([line(7, 1)], [line(7, 2)])).toBe(false);
    expect(samePurchase([line(7, 1)], [line(7, 1), line(8, 1)])).toBe(false);
    expect(samePurchase([line(7, 1), line(8, 1)], [line(7, 1)])).toBe(false);
  });

  it('an order without items is never the same as another', () => {
    expect(samePurchase([], [])).toBe(false);
    expect(samePurchase(undefined, [line(7, 1)])).toBe(false);
    expect(samePurchase([{ product_id: 0, quantity: 1 }], [{ product_id: 0, quantity: 1 }])).toBe(false);
  });
});
