import { __, sprintf } from '@wordpress/i18n';
import { execute, isPool, selectOne, selectRows, type Queryable, type Row } from '../../db/queryable.ts';
import { parseFlowDefinition, type FlowDefinition, type TriggerEvent } from './flow-definition.ts';
import { PRESET_KEYS, PRESETS, type PresetKey } from './presets.ts';

export type StoredFlow = {
  key: string;
  version: number;
  enabled: boolean;
  preset: boolean;
  updatedAt: Date | null;
  definition: FlowDefinition;
};

export const FLOW_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const isPreset = (key: string): key is PresetKey => (PRESET_KEYS as readonly string[]).includes(key);

/**
 * A shop's flows: the presets (as saved, or as shipped while never saved) and its own. A preset
 * never saved has version 0: it is written as version 1 the moment anything enters it, so every
 * enrollment points at a stored version.
 */
export async function listFlows(db: Queryable, shopId: number): Promise<StoredFlow[]> {
  const rows = await selectRows(db, `${CURRENT_FLOW_SELECT} WHERE f.shop_id = ?`, [shopId], fromRow);
  const saved = new Map(rows.map((f) => [f.key, f]));
  const presets = PRESET_KEYS.map((key) => saved.get(key) ?? unsaved(key));
  const own = [...saved.values()].filter((f) => !f.preset).sort((a, b) => a.key.localeCompare(b.key));
  return [...presets, ...own];
}

export async function loadFlow(db: Queryable, shopId: number, key: string): Promise<StoredFlow | null> {
  const saved = await selectOne(db, `${CURRENT_FLOW_SELECT} WHERE f.shop_id = ? AND f.flow_key = ?`, [shopId, key], fromRow);
  if (saved) return saved;
  return isPreset(key) ? unsaved(key) : null;
}

/** The enabled flows a trigger starts, current versions (presets written down on first use). */
export async function flowsForTrigger(db: Queryable, shopId: number, event: TriggerEvent): Promise<StoredFlow[]> {
  const flows = (await listFlows(db, shopId)).filter((f) => f.enabled && f.definition.trigger.event === event);
  return Promise.all(flows.map(async (f) => (f.version === 0 ? saveFlow(db, shopId, f.key, f.definition, f.enabled) : f)));
}

/**
 * Saves a new version (validated) and makes it current. `expectedVersion`, when given, makes the
 * save fail if someone saved in between (two admins editing the same flow).
 */
export async function saveFlow(
  db: Queryable,
  shopId: number,
  key: string,
  input: unknown,
  enabled: boolean,
  expectedVersion?: number,
): Promise<StoredFlow> {
  if (!FLOW_KEY.test(key)) throw new Error('a flow key is lower-case letters, digits and dashes');
  const definition = parseFlowDefinition(input);
  const conn = isPool(db) ? await db.getConnection() : db;
  try {
    await conn.beginTransaction();
    const current =
      (await selectOne(conn, 'SELECT version FROM flows WHERE shop_id = ? AND flow_key = ? FOR UPDATE', [shopId, key], (r) =>
        r.num('version'),
      )) ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current) throw new FlowVersionConflict(current);
    const latest = await selectOne(
      conn,
      'SELECT COALESCE(MAX(version), 0) AS v FROM flow_versions WHERE shop_id = ? AND flow_key = ?',
      [shopId, key],
      (r) => r.num('v'),
    );
    const version = latest! + 1;
    await execute(conn, 'INSERT INTO flow_versions (shop_id, flow_key, version, definition) VALUES (?, ?, ?, ?)', [
      shopId,
      key,
      version,
      JSON.stringify(definition),
    ]);
    await execute(
      conn,
      `INSERT INTO flows (shop_id, flow_key, version, enabled) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE version = VALUES(version), enabled = VALUES(enabled), updated_at = CURRENT_TIMESTAMP(3)`,
      [shopId, key, version, enabled],
    );
    await conn.commit();
    return { key, version, enabled, preset: isPreset(key), updatedAt: new Date(), definition };
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    if (conn !== db) conn.release();
  }
}

/** Switches a flow on or off without a new version (the definition did not change). */
/**
 * Deletes one of the shop's own flows (a copy, never a preset) that nobody ever entered, with its
 * versions: 'used' when someone did (their history and the reports point at its versions), 'missing'
 * when the shop has no such flow.
 */
export async function deleteUnusedFlow(db: Queryable, shopId: number, key: string): Promise<'deleted' | 'used' | 'missing'> {
  if (isPreset(key)) throw new Error(`${key} is a preset`);
  const deleted = await execute(
    db,
    'DELETE FROM flows WHERE shop_id = ? AND flow_key = ? AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.shop_id = ? AND e.flow = ?)',
    [shopId, key, shopId, key],
  );
  if (deleted.affectedRows === 0) {
    const left = await selectOne(db, 'SELECT 1 AS one FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, key], (r) => r.num('one'));
    return left ? 'used' : 'missing';
  }
  await execute(db, 'DELETE FROM flow_versions WHERE shop_id = ? AND flow_key = ?', [shopId, key]);
  return 'deleted';
}

export async function setFlowEnabled(db: Queryable, shopId: number, key: string, enabled: boolean): Promise<StoredFlow | null> {
  const flow = await loadFlow(db, shopId, key);
  if (!flow) return null;
  if (flow.version === 0) return saveFlow(db, shopId, key, flow.definition, enabled);
  await execute(db, 'UPDATE flows SET enabled = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE shop_id = ? AND flow_key = ?', [
    enabled,
    shopId,
    key,
  ]);
  return { ...flow, enabled };
}

/** The versions an enrollment may point at, read once per batch by the step runner. */
export async function loadFlowVersions(
  db: Queryable,
  shopId: number,
  wanted: Array<{ key: string; version: number }>,
): Promise<Map<string, FlowDefinition>> {
  if (wanted.length === 0) return new Map();
  const rows = await selectRows(
    db,
    `SELECT flow_key, version, definition FROM flow_versions WHERE shop_id = ? AND (flow_key, version) IN (${wanted.map(() => '(?, ?)').join(', ')})`,
    [shopId, ...wanted.flatMap((w) => [w.key, w.version])],
    (r) => [versionKey(r.str('flow_key'), r.num('version')), parseFlowDefinition(r.json('definition'))] as const,
  );
  return new Map(rows);
}

export type FlowVersion = { version: number; createdAt: Date };

export async function listFlowVersions(db: Queryable, shopId: number, key: string): Promise<FlowVersion[]> {
  return selectRows(
    db,
    'SELECT version, created_at FROM flow_versions WHERE shop_id = ? AND flow_key = ? ORDER BY version DESC',
    [shopId, key],
    (r) => ({
      version: r.num('version'),
      createdAt: r.date('created_at'),
    }),
  );
}

export const versionKey = (key: string, version: number) => `${key}@${version}`;

export class FlowVersionConflict extends Error {
  constructor(readonly currentVersion: number) {
    // translators: %d: the version saved meanwhile.
    super(
      sprintf(
        __('the flow was saved by someone else meanwhile (now version %d); reload it and make your change again', 'comeback'),
        currentVersion,
      ),
    );
  }
}

/** A flow's current version with its definition. */
const CURRENT_FLOW_SELECT = `SELECT f.flow_key, f.version, f.enabled, f.updated_at, v.definition FROM flows f
     JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version`;

function fromRow(r: Row): StoredFlow {
  const key = r.str('flow_key');
  return {
    key,
    version: r.num('version'),
    enabled: r.bool('enabled'),
    preset: isPreset(key),
    updatedAt: r.date('updated_at'),
    definition: parseFlowDefinition(r.json('definition')),
  };
}

function unsaved(key: PresetKey): StoredFlow {
  return { key, version: 0, enabled: false, preset: true, updatedAt: null, definition: structuredClone(PRESETS[key]) };
}

/** The keys of the shop's flows switched on (the step runner's "flow switched off" check, once per batch). */
export async function enabledFlowKeys(db: Queryable, shopId: number): Promise<Set<string>> {
  return new Set(await selectRows(db, 'SELECT flow_key FROM flows WHERE shop_id = ? AND enabled', [shopId], (r) => r.str('flow_key')));
}

/** Shops with at least one flow switched on. */
export async function shopsWithEnabledFlows(db: Queryable): Promise<number[]> {
  return selectRows(db, 'SELECT DISTINCT shop_id AS id FROM flows WHERE enabled', [], (r) => r.num('id'));
}
