import { z } from 'zod';

/** ?page=1&perPage=50 for every listing; capped so a listing is never a table dump. */
export const pagination = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(200).default(50),
});

export type Page<T> = { items: T[]; total: number; page: number; perPage: number };

export function offsetOf(p: z.output<typeof pagination>): number {
  return (p.page - 1) * p.perPage;
}
