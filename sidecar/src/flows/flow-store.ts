import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../db/json-column.ts';
import { parseFlowDefinition, type FlowDefinition, type TriggerEvent } from './flow-definition.ts';
import { PRESET_KEYS, PRESETS, type PresetKey } from './presets.ts';
import type { Queryable } from '../db/queryable.ts';


export type StoredFlow = { key: string; version: number; enabled: boolean; preset: boolean; updatedAt: Date | null; definition: FlowDefinition };

export const FLOW_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

const isPreset = (key: string): key is PresetKey => (PRESET_KEYS as readonly string[]).includes(key);

/**
 * A shop's flows: the presets (as saved, or as shipped while never saved) and its own. A preset
 * never saved has version 0: it is written as version 1 the moment anything enters it, so every
 * enrollment points at a stored version.
 */
export async function listFlows(db: Queryable, shopId: number): Promise<StoredFlow[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT f.flow_key, f.version, f.enabled, f.updated_at, v.definition FROM flows f
     JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version WHERE f.shop_id = ?`,
    [shopId],
  );
  const saved = new Map(rows.map((r) => [String(r.flow_key), fromRow(r)]));
  const presets = PRESET_KEYS.map((key) => saved.get(key) ?? unsaved(key));
  const own = [...saved.values()].filter((f) => !f.preset).sort((a, b) => a.key.localeCompare(b.key));
  return [...presets, ...own];
}

export async function loadFlow(db: Queryable, shopId: number, key: string): Promise<StoredFlow | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT f.flow_key, f.version, f.enabled, f.updated_at, v.definition FROM flows f
     JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version WHERE f.shop_id = ? AND f.flow_key = ?`,
    [shopId, key],
  );
  if (rows[0]) return fromRow(rows[0]);
  return isPreset(key) ? unsaved(key) : null;
}

/** The enabled flows a trigger starts, current versions (presets written down on first use). */
export async function flowsForTrigger(db: Queryable, shopId: number, event: TriggerEvent): Promise<StoredFlow[]> {
  const flows = (await listFlows(db, shopId)).filter((f) => f.enabled && f.definition.trigger.event === event);
  return Promise.all(flows.map((f) => (f.version === 0 ? saveFlow(db, shopId, f.key, f.definition, f.enabled) : f)));
}

/**
 * Saves a new version (validated) and makes it current. `expectedVersion`, when given, makes the
 * save fail if someone saved in between (two admins editing the same flow).
 */
export async function saveFlow(db: Queryable, shopId: number, key: string, input: unknown, enabled: boolean, expectedVersion?: number): Promise<StoredFlow> {
  if (!FLOW_KEY.test(key)) throw new Error('a flow key is lower-case letters, digits and dashes');
  const definition = parseFlowDefinition(input);
  const conn = 'getConnection' in db ? await db.getConnection() : db;
  try {
    await conn.beginTransaction();
    const [rows] = await conn.query<RowDataPacket[]>('SELECT version FROM flows WHERE shop_id = ? AND flow_key = ? FOR UPDATE', [shopId, key]);
    const current = rows[0] ? Number(rows[0].version) : 0;
    if (expectedVersion !== undefined && expectedVersion !== current) throw new FlowVersionConflict(current);
    const [max] = await conn.query<RowDataPacket[]>('SELECT COALESCE(MAX(version), 0) AS v FROM flow_versions WHERE shop_id = ? AND flow_key = ?', [shopId, key]);
    const version = Number(max[0]!.v) + 1;
    await conn.query('INSERT INTO flow_versions (shop_id, flow_key, version, definition) VALUES (?, ?, ?, ?)', [shopId, key, version, JSON.stringify(definition)]);
    await conn.query(
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
    if (conn !== db) (conn as PoolConnection).release();
  }
}

/** Switches a flow on or off without a new version (the definition did not change). */
export async function setFlowEnabled(db: Queryable, shopId: number, key: string, enabled: boolean): Promise<StoredFlow | null> {
  const flow = await loadFlow(db, shopId, key);
  if (!flow) return null;
  if (flow.version === 0) return saveFlow(db, shopId, key, flow.definition, enabled);
  await db.query('UPDATE flows SET enabled = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE shop_id = ? AND flow_key = ?', [enabled, shopId, key]);
  return { ...flow, enabled };
}

/** The versions an enrollment may point at, read once per batch by the step runner. */
export async function loadFlowVersions(db: Queryable, shopId: number, wanted: Array<{ key: string; version: number }>): Promise<Map<string, FlowDefinition>> {
  if (wanted.length === 0) return new Map();
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT flow_key, version, definition FROM flow_versions WHERE shop_id = ? AND (flow_key, version) IN (${wanted.map(() => '(?, ?)').join(', ')})`,
    [shopId, ...wanted.flatMap((w) => [w.key, w.version])],
  );
  return new Map(rows.map((r) => [versionKey(String(r.flow_key), Number(r.version)), parseFlowDefinition(jsonColumn(r.definition))]));
}

export type FlowVersion = { version: number; createdAt: Date };

export async function listFlowVersions(db: Queryable, shopId: number, key: string): Promise<FlowVersion[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT version, created_at FROM flow_versions WHERE shop_id = ? AND flow_key = ? ORDER BY version DESC', [shopId, key]);
  return rows.map((r) => ({ version: Number(r.version), createdAt: r.created_at as Date }));
}

export const versionKey = (key: string, version: number) => `${key}@${version}`;

export class FlowVersionConflict extends Error {
  constructor(readonly currentVersion: number) {
    super(`the flow was saved by someone else meanwhile (now version ${currentVersion}); reload it and make your change again`);
  }
}

function fromRow(r: RowDataPacket): StoredFlow {
  const key = String(r.flow_key);
  return { key, version: Number(r.version), enabled: Boolean(r.enabled), preset: isPreset(key), updatedAt: r.updated_at as Date, definition: parseFlowDefinition(jsonColumn(r.definition)) };
}

function unsaved(key: PresetKey): StoredFlow {
  return { key, version: 0, enabled: false, preset: true, updatedAt: null, definition: structuredClone(PRESETS[key]) };
}
