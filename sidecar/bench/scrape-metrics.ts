/**
 * Reading a sidecar's /metrics (Prometheus' text format 0.0.4) for the bench, the soak and the
 * tests: each sample by its series as printed — `name` or `name{label="value",…}` — checked line by
 * line on the way (a malformed line or a sample without its family's TYPE throws).
 */
export type Samples = Map<string, number>;

const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/;

export function parseExposition(text: string): Samples {
  const types = new Map<string, string>();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE' && !/^(counter|gauge|histogram|summary|untyped)$/.test(comment[3]!))
        throw new Error(`not a Prometheus metric type: ${line}`);
      if (comment[1] === 'TYPE') types.set(comment[2]!, comment[3]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const name = sample[1]!;
    if (!types.has(name) && !types.has(name.replace(/_(bucket|sum|count)$/, ''))) throw new Error(`no TYPE line for ${name}`);
    samples.set(`${name}${sample[2] ?? ''}`, Number(sample[3]));
  }
  return samples;
}

/** One sidecar's metrics now (`token`: the admin token, needed unless the scraper is on the sidecar's machine). */
export async function scrapeMetrics(sidecarUrl: string, token?: string): Promise<Samples> {
  const res = await fetch(`${sidecarUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`${sidecarUrl}/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/** The sum of every series of a metric, whatever its labels (sent over all channels; the `_count` of a histogram). */
export function total(samples: Samples, name: string): number {
  let sum = 0;
  for (const [series, value] of samples) if (series === name || series.startsWith(`${name}{`)) sum += value;
  return sum;
}
