/**
 * `[points_balance]` says its noun itself ("1,250 points", "1 250 punktów"): a text stored when it
 * printed the bare number, as the balance preset had it ("you have [points_balance] points"), would
 * say "points points". The flow schema's parse reads such a text without the word after the
 * shortcode (flow-definition.ts), as it upgrades the old offline texts (offline-texts.ts).
 */
const POINTS_AFTER = /\[points_balance\](\s+)points\b/g;

/** A text's strings (subject, bodies, per-gateway bodies, WhatsApp text) with "[points_balance] points" read as "[points_balance]". */
export function withoutPointsNoun<T>(template: T): T {
  if (typeof template === 'string') return template.replace(POINTS_AFTER, '[points_balance]') as T;
  if (Array.isArray(template)) return template.map(withoutPointsNoun) as T;
  if (template && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, withoutPointsNoun(v)])) as T;
  return template;
}
