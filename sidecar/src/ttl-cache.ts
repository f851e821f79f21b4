/**
 * Remembers async lookups by key for a while: a run of reminders or a burst of webhooks reads a
 * shop's row once, not once per message. Failures and `undefined` answers are not remembered
 * (an unknown shop may be connected a second later). `invalidate()` drops everything at once, for
 * writes made by this process; writes made elsewhere show after `ttlMs`.
 */
export type TtlCache<K, V> = ((key: K) => Promise<V>) & { invalidate(): void };

export function ttlCache<K, V>(load: (key: K) => Promise<V>, ttlMs: number, maxEntries = 1_000): TtlCache<K, V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  const get = (key: K): Promise<V> => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = load(key);
    entries.set(key, { at: Date.now(), value });
    value.then(
      (found) => {
        if (found === undefined) entries.delete(key);
      },
      () => entries.delete(key),
    );
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return value;
  };
  return Object.assign(get, { invalidate: () => entries.clear() });
}
