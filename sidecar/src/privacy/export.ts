import type { Queryable } from '../db/queryable.ts';
import { exportSources } from './export-store.ts';
import type { Person } from './person.ts';
import { findPerson } from './person-store.ts';

/** Items per page: WordPress's exporter asks page after page until `done`. */
export const EXPORT_PAGE_SIZE = 100;

/** The groups in the order they are exported, with the label a customer reads in their export. */
export const EXPORT_GROUPS = [
  { id: 'profile', label: 'Customer profile' },
  { id: 'orders', label: 'Orders as the shop sent them' },
  { id: 'events', label: 'Order updates received from the shop' },
  { id: 'messages', label: 'Messages sent' },
  { id: 'clicks', label: 'Links clicked' },
  { id: 'carts', label: 'Saved carts' },
  { id: 'consents', label: 'Consents' },
  { id: 'loyalty', label: 'Loyalty program events' },
  { id: 'conversations', label: 'Messages received' },
  { id: 'nps', label: 'Survey answers' },
  { id: 'coupons', label: 'Coupons issued' },
  { id: 'test-recipients', label: 'Test messages of the shop sent to you' },
] as const;

/** One exported item, as WordPress's exporters give theirs (group, item, name/value pairs). */
export type ExportItem = {
  groupId: string;
  groupLabel: string;
  itemId: string;
  data: Array<{ name: string; value: string }>;
};

/** POST /api/privacy/export's answer: a page of items; `nextPage` while there is more. */
export type PrivacyExportPage = { data: ExportItem[]; done: boolean; nextPage?: number };

/**
 * One page (1, 2, …) of everything held about the person: the groups' items one after another,
 * EXPORT_PAGE_SIZE at a time. Empty fields are left out.
 */
export async function exportPage(db: Queryable, shopId: number, person: Person, page: number): Promise<PrivacyExportPage> {
  const found = await findPerson(db, shopId, person);
  const sources = exportSources(db, shopId, person, found);
  let skip = (page - 1) * EXPORT_PAGE_SIZE;
  let room = EXPORT_PAGE_SIZE;
  const data: ExportItem[] = [];
  let more = false;
  for (const group of EXPORT_GROUPS) {
    const source = sources[group.id]!;
    const ids = await source.ids();
    if (room === 0) {
      if (ids.length > 0) {
        more = true;
        break;
      }
      continue;
    }
    if (skip >= ids.length) {
      skip -= ids.length;
      continue;
    }
    const taken = ids.slice(skip, skip + room);
    if (skip + room < ids.length) more = true;
    skip = 0;
    room -= taken.length;
    for (const row of await source.rows(taken)) {
      data.push({
        groupId: `comeback-${group.id}`,
        groupLabel: group.label,
        itemId: `comeback-${row.id}`,
        data: row.fields.filter((f): f is [string, string] => f[1] !== null && f[1] !== '').map(([name, value]) => ({ name, value })),
      });
    }
    if (more) break;
  }
  return more ? { data, done: false, nextPage: page + 1 } : { data, done: true };
}
