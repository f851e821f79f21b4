import { parseArgs } from 'node:util';

// A privacy request for a shop without WordPress: exports (every page, as one JSON document) or
// erases one person through the sidecar's POST /api/privacy/export and /erase, with the admin
// token. Exit codes: 0 done, 1 refused or unreachable, 2 usage.

const USAGE = `usage: npm run --silent privacy -- (export | erase) --shop ID (--email EMAIL | --phone PHONE) [--country CC] [--url URL]

  export     prints everything held about the person as JSON, grouped ({ "groups": { label: [items] } })
  erase      erases or anonymises it everywhere and keeps a hashed suppression, so they are never messaged again
  --shop     the shop's id (the admin token, COMEBACK_ADMIN_TOKEN, signs in; keep it out of arguments)
  --email    the person's email; --phone their number (with --country, a two-letter code, when it has no +prefix)
  --url      the sidecar (default http://127.0.0.1:8787, or COMEBACK_SIDECAR_URL)`;

const options = {
  shop: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  country: { type: 'string' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Answer = { status: number; body: Record<string, unknown> };

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ options, strict: true, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: args, positionals } = parsed;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const action = positionals[0];
  const token = process.env.COMEBACK_ADMIN_TOKEN;
  const problem =
    positionals.length !== 1 || (action !== 'export' && action !== 'erase')
      ? 'say export or erase'
      : !/^\d+$/.test(args.shop ?? '')
        ? '--shop wants the shop’s id (a number)'
        : !args.email && !args.phone
          ? 'name the person with --email or --phone'
          : !token
            ? 'set COMEBACK_ADMIN_TOKEN to the sidecar’s admin token'
            : null;
  if (problem) {
    process.stderr.write(`${problem}\n\n${USAGE}\n`);
    return 2;
  }
  const base = (args.url ?? process.env.COMEBACK_SIDECAR_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const person = { email: args.email, phone: args.phone, country: args.country };
  const post = async (path: string, body: object): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-comeback-shop-id': args.shop! },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const refused = (answer: Answer) => {
    const error = answer.body.error as { code?: string; message?: string } | undefined;
    process.stderr.write(`${answer.status} ${error?.code ?? ''}: ${error?.message ?? JSON.stringify(answer.body)}\n`);
    return 1;
  };
  try {
    if (action === 'export') {
      const groups: Record<string, unknown[]> = {};
      for (let page = 1; ; page++) {
        const answer = await post('/api/privacy/export', { ...person, page });
        if (answer.status !== 200) return refused(answer);
        for (const item of answer.body.data as Array<{ groupLabel: string; itemId: string; data: unknown }>)
          (groups[item.groupLabel] ??= []).push({ id: item.itemId, fields: item.data });
        if (answer.body.done) break;
      }
      process.stdout.write(`${JSON.stringify({ groups }, null, 2)}\n`);
      return 0;
    }
    let removed = 0;
    let retained = 0;
    const messages: string[] = [];
    for (let page = 1; ; page++) {
      const answer = await post('/api/privacy/erase', { ...person, page });
      if (answer.status !== 200) return refused(answer);
      removed += Number(answer.body.itemsRemoved);
      retained += Number(answer.body.itemsRetained);
      messages.push(...(answer.body.messages as string[]));
      if (answer.body.done) break;
    }
    process.stdout.write(`${JSON.stringify({ itemsRemoved: removed, itemsRetained: retained, messages }, null, 2)}\n`);
    return 0;
  } catch (error) {
    const { cause, message } = error as Error;
    process.stderr.write(`could not reach ${base}: ${cause instanceof Error ? cause.toString() : message}\n`);
    return 1;
  }
}

process.exitCode = await main();
