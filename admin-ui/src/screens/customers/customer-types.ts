export type Consent = 'granted' | 'withdrawn' | null;

/** A customer as GET /api/customers lists them; the profile fields come from loyalty programs and may be missing. */
export type Customer = {
  email: string;
  phone: string | null;
  orders: number;
  totalSpent: string;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  averageDaysBetweenPurchases: number | null;
  expectedNextPurchaseAt: string | null;
  tags: string[];
  /** Not in every sidecar's answer: the profile (CustomerProfile) has what loyalty programs told. */
  firstName?: string | null;
  lastName?: string | null;
  country?: string | null;
  consent?: { email: Consent; sms: Consent; whatsapp: Consent };
};

export const fullName = (c: Customer) => [c.firstName, c.lastName].filter(Boolean).join(' ');

/** Amounts as the API writes them ("100.0000"), with two decimals. */
export const amount = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '—' : Number(value).toFixed(2));

/** A date without the time: purchases are counted in days. */
export const day = (value: string | null | undefined) => (value ? new Date(value).toLocaleDateString() : '—');
