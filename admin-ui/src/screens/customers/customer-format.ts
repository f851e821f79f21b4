import type { Customer } from '@comeback/sidecar/api-contracts';

export const fullName = (c: Customer) => [c.firstName, c.lastName].filter(Boolean).join(' ');

/** Amounts as the API writes them ("100.0000"), with two decimals. */
export const amount = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '—' : Number(value).toFixed(2);

/** A date without the time: purchases are counted in days. */
export const day = (value: string | null | undefined) => (value ? new Date(value).toLocaleDateString() : '—');
