import { resolve } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { startBenchDb } from './bench-db.ts';
import { importThroughput } from './import-bench.ts';
import { ingestThroughput } from './ingest-bench.ts';
import { reminderThroughput } from './reminder-bench.ts';
import { renderThroughput } from './render-bench.ts';
import { segmentRecompute } from './segment-bench.ts';
import { stepRace } from './step-race.ts';
import { claimCostAtSizes, lateness, throughput, type Row } from './scheduler-bench.ts';

// npm run bench [-- --quick] [-- --only=render,scheduler,race,ingest,reminders,segments,import]: prints a table;
// BENCHMARKS.md records it with this command.
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (name: string) => !only || only.includes(name);
const config = loadConfig(process.env, { workerName: 'bench' });
const rows: Row[] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// Rendering first, before MariaDB starts: a starting server initialises its buffer pool on the
// other core and would be measured too.
if (wanted('render')) {
  const renders = await renderThroughput(quick ? 1 : 3);
  rows.push({
    bench: 'renders/s (subject + HTML + text), warm compile cache',
    value: fmt(renders),
    target: '≥ 20,000',
    ok: renders >= 20_000,
  });
}

const db = await startBenchDb(resolve(config.home));
try {
  if (wanted('ingest')) {
    const ingest = await ingestThroughput(db, quick ? 5 : 15);
    rows.push({
      bench: 'webhook ingest req/s, 50 connections (signature + durable insert)',
      value: fmt(ingest.requestsPerSecond),
      target: '≥ 4,000',
      ok: ingest.requestsPerSecond >= 4_000,
    });
    rows.push({
      bench: 'webhook ingest latency p50 / p99 ms',
      value: `${fmt(ingest.p50)} / ${fmt(ingest.p99)}`,
      target: 'p99 < 25',
      ok: ingest.p99 < 25,
    });
    rows.push({
      bench: 'webhook ingest: answered 2xx / rows stored / errors',
      value: `${fmt(ingest.answered)} / ${fmt(ingest.stored)} / ${fmt(ingest.errors)}`,
      target: 'stored ≥ answered, 0 errors',
      ok: ingest.stored >= ingest.answered && ingest.errors === 0,
    });
  }
  if (wanted('reminders')) {
    const r = await reminderThroughput(db, quick ? 1_000 : 3_000);
    rows.push({
      bench: `reminders/s end to end (${fmt(r.count)}: claim → REST re-check → render → SMTP → sent)`,
      value: fmt(r.perSecond),
      // Issue L: on these two shared cores the stand-in shop and the SMTP sink take their share;
      // 1,500+/s is the per-core figure below, for a box where they run elsewhere.
      target: '≥ 1,000',
      ok: r.perSecond >= 1_000,
    });
    rows.push({
      bench: 'CPU ms per reminder: sidecar / MariaDB / stand-in shop + SMTP sink',
      value: `${fmt(r.cpuMs.sidecar, 2)} / ${fmt(r.cpuMs.mariadb, 2)} / ${fmt(r.cpuMs.fakes, 2)}`,
      target: 'sidecar ≤ 0.6, MariaDB ≤ 0.4',
      ok: r.cpuMs.sidecar <= 0.6 && r.cpuMs.mariadb <= 0.4,
    });
    // Issue E: across SMS, WhatsApp and email with consent and cap checks, no worse than 0.8× email only.
    const m = await reminderThroughput(db, quick ? 1_000 : 3_000, { mixed: true });
    rows.push({
      bench: `messages/s, mixed SMS / WhatsApp / email (${fmt(m.count)}, consent + cap checked)`,
      value: fmt(m.perSecond),
      target: `≥ 0.8 × email (${fmt(0.8 * r.perSecond)})`,
      ok: m.perSecond >= 0.8 * r.perSecond,
    });
    rows.push({
      bench: 'CPU ms per message, mixed: sidecar / MariaDB / stand-in shop + SMTP sink + Twilio + WhatsApp fakes',
      value: `${fmt(m.cpuMs.sidecar, 2)} / ${fmt(m.cpuMs.mariadb, 2)} / ${fmt(m.cpuMs.fakes, 2)}`,
      target: '',
      ok: undefined,
    });
  }
  if (wanted('scheduler')) {
    const n = quick ? 5_000 : 20_000;
    const ours = await throughput(db, 'ours', n);
    rows.push({ bench: `no-op jobs/s, batch claims (${fmt(n)} due)`, value: fmt(ours), target: '≥ 10,000', ok: ours >= 10_000 });
    const stock = await throughput(db, 'stock', Math.min(n, 5_000));
    rows.push({
      bench: `no-op jobs/s, agenda stock path (${fmt(Math.min(n, 5_000))} due)`,
      value: fmt(stock),
      target: 'baseline',
      ok: undefined,
    });
    rows.push({ bench: 'speed-up, batch vs stock', value: `${fmt(ours / stock, 1)}×`, target: '', ok: undefined });

    if (!quick) {
      const claim = await claimCostAtSizes(db);
      const ratio = claim.large.median / claim.small.median;
      rows.push({
        bench: 'claim of 50 due, 10k future jobs: median / p99 ms',
        value: `${fmt(claim.small.median, 2)} / ${fmt(claim.small.p99, 2)}`,
        target: '',
        ok: undefined,
      });
      rows.push({
        bench: 'claim of 50 due, 1M future jobs: median / p99 ms',
        value: `${fmt(claim.large.median, 2)} / ${fmt(claim.large.p99, 2)}`,
        target: '',
        ok: undefined,
      });
      rows.push({ bench: 'claim cost ratio 1M / 10k (median)', value: fmt(ratio, 2), target: '≤ 1.2', ok: ratio <= 1.2 });
    }

    const count = quick ? 20_000 : 100_000;
    const late = await lateness(db, count, quick ? 10 : 30);
    rows.push({
      bench: `lateness, ${fmt(count)} scheduled over ${quick ? 10 : 30} s: p50 / p99 / max ms`,
      value: `${fmt(late.p50)} / ${fmt(late.p99)} / ${fmt(late.max)}`,
      target: 'p99 < 1,000',
      ok: late.p99 < 1_000,
    });
  }
  // Issue L: the flow steps' own path raced against BullMQ on redis-server, same run, same machine.
  if (wanted('race')) rows.push(...(await stepRace(db, quick)));
  if (wanted('segments')) {
    // Issue F: 1,000,000 customers / 5,000,000 orders in under 60 s, memory flat.
    const s = await segmentRecompute(db, quick ? 100_000 : 1_000_000, quick ? 500_000 : 5_000_000);
    const total = s.statsSeconds + s.tagsSeconds;
    rows.push({
      bench: `segment recompute, ${fmt(s.customers)} customers / ${fmt(s.orders)} orders: stats + tags s`,
      value: `${fmt(s.statsSeconds, 1)} + ${fmt(s.tagsSeconds, 1)} = ${fmt(total, 1)}`,
      target: '< 60',
      ok: total < 60,
    });
    rows.push({
      bench: 'segment recompute: sidecar RSS growth MB',
      value: fmt(s.rssGrowthMb, 1),
      target: 'flat (< 50)',
      ok: s.rssGrowthMb < 50,
    });
    rows.push({
      bench: 'segment recompute: tagged new / recent / at risk / inactive / VIP',
      value: Object.values(s.tagged)
        .map((n) => fmt(n))
        .join(' / '),
      target: '',
      ok: undefined,
    });
    rows.push({
      bench: `win-back switched on: ${fmt(s.winBack.entered)} lapsed customers entered, s`,
      value: fmt(s.winBack.seconds, 1),
      target: '',
      ok: undefined,
    });
    rows.push({ bench: 'segment bench: orders generated in MariaDB, s', value: fmt(s.loadSeconds, 1), target: '', ok: undefined });
  }
  if (wanted('import')) {
    const i = await importThroughput(db, quick ? 5_000 : 20_000);
    rows.push({
      bench: `order history import, ${fmt(i.count)} orders over REST (100 a page, position saved per page): orders/s`,
      value: fmt(i.perSecond),
      target: 'recorded',
      ok: undefined,
    });
  }
} finally {
  await db.server.stop();
}

const width = Math.max(...rows.map((r) => r.bench.length));
console.log(`\n${'benchmark'.padEnd(width)} | value | target`);
for (const r of rows) console.log(`${r.bench.padEnd(width)} | ${r.value} | ${r.target}${r.ok === undefined ? '' : r.ok ? ' ✓' : ' ✗'}`);
process.exit(0); // a finished benchmark should not wait on idle sockets or timers it did not create
