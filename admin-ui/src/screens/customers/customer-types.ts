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
  firstName?: string | null;
  lastName?: string | null;
  country?: string | null;
  language?: string | null;
  timeZone?: string | null;
  /** "MM-DD" */
  birthday?: string | null;
  points?: number | string | null;
  cashback?: number | string | null;
  consent?: { email: Consent; sms: Consent; whatsapp: Consent };
};

export const fullName = (c: Customer) => [c.firstName, c.lastName].filter(Boolean).join(' ');

/** Amounts as the API writes them ("100.0000"), with two decimals. */
export const amount = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '—' : Number(value).toFixed(2));

/** A date without the time: purchases are counted in days. */
export const day = (value: string | null | undefined) => (value ? new Date(value).toLocaleDateString() : '—');
