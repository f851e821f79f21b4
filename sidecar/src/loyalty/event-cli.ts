import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { EVENTS_PATH, signRequest } from '../http/admin-auth.ts';
import { LOYALTY_EVENT_TYPES, loyaltyEventVariant } from './loyalty-events.ts';

// Sends a loyalty event to a sidecar's POST /api/events, as a loyalty program would: for trying
// an integration out, or for feeding events from a script. Exit codes: 0 sent, 1 refused, 2 usage.

const USAGE = `usage: npm run --silent event -- --url URL (--shop-id ID | --shop-url SHOP_URL)
         (--type TYPE (--email EMAIL | --phone PHONE) [--country CC] [--id ID] [--occurred-at ISO] [--field PATH=VALUE ...]
          | --json '{...}' | --json -)

  --url          the sidecar, e.g. http://127.0.0.1:3000
  --shop-id      the shop's id, with its events key in COMEBACK_EVENTS_KEY (or --events-key; it opens
                 POST /api/events only: Loyalty → "Sending events" shows it), or the admin token in
                 COMEBACK_ADMIN_TOKEN (or --token)
  --shop-url     the shop's address, with the shared secret in COMEBACK_SHARED_SECRET (or --secret):
                 signed as the plugin signs. Prefer the variables: arguments show in \`ps\`, and
                 \`npm run\` without --silent prints them
  --type         ${LOYALTY_EVENT_TYPES.join(', ')}
  --id           the program's own event id (default: a new UUID)
  --field        a field of the event by its dotted path, e.g. voucher.code=X1 voucher.value=20;
                 numbers where the event expects a number, text otherwise
  --json         the whole body (one event or {"events": [...]}); "-" reads it from stdin`;

class UsageError extends Error {}

const options = {
  url: { type: 'string' },
  'shop-id': { type: 'string' },
  token: { type: 'string' },
  'events-key': { type: 'string' },
  'shop-url': { type: 'string' },
  secret: { type: 'string' },
  type: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  country: { type: 'string' },
  id: { type: 'string' },
  'occurred-at': { type: 'string' },
  field: { type: 'string', multiple: true },
  json: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Args = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

async function main(): Promise<number> {
  let args: Args;
  let body: string;
  try {
    args = parseArgs({ options, strict: true, allowPositionals: false }).values;
    // Secrets from the environment keep them out of `ps` and the shell's history; the events key
    // (which opens POST /api/events only) before the admin token.
    if (args['shop-id'] !== undefined && args.token === undefined && args['events-key'] === undefined) {
      args['events-key'] = process.env.COMEBACK_EVENTS_KEY || undefined;
      if (!args['events-key']) args.token = process.env.COMEBACK_ADMIN_TOKEN;
    }
    if (args['shop-url'] !== undefined) args.secret ??= process.env.COMEBACK_SHARED_SECRET;
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    body = JSON.stringify(await eventBody(args));
  } catch (error) {
    if (!(error instanceof UsageError) && !(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  return send(args, body);
}

/** The body: given whole with --json, else built from --type, the customer and the --field pairs. */
async function eventBody(args: Args): Promise<unknown> {
  if (!args.url) throw new UsageError('--url is required');
  if (!URL.canParse(args.url)) throw new UsageError(`--url is not an address: ${args.url}`);
  const byToken = args.token !== undefined || args['events-key'] !== undefined || args['shop-id'] !== undefined;
  const bySignature = args['shop-url'] !== undefined || args.secret !== undefined;
  if (byToken === bySignature)
    throw new UsageError('authenticate with either --shop-id and the events key (or the admin token) or --shop-url and --secret');
  if (byToken && (!(args.token || args['events-key']) || !/^\d+$/.test(args['shop-id'] ?? ''))) {
    throw new UsageError('--shop-id (a number) needs the events key (COMEBACK_EVENTS_KEY) or the admin token, and they need --shop-id');
  }
  if (bySignature && (!args['shop-url'] || !args.secret)) throw new UsageError('--shop-url and --secret go together');

  const eventFlags = ['type', 'email', 'phone', 'country', 'id', 'occurred-at', 'field'] as const;
  if (args.json !== undefined) {
    if (eventFlags.some((f) => args[f] !== undefined))
      throw new UsageError('--json gives the whole body: leave out --type, --email, --field and the like');
    const source = args.json === '-' ? await text(process.stdin) : args.json;
    try {
      return JSON.parse(source);
    } catch (error) {
      throw new UsageError(`--json is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!args.type) throw new UsageError('--type (or --json) is required');
  if (!loyaltyEventVariant(args.type)) throw new UsageError(`unknown --type ${args.type}; one of ${LOYALTY_EVENT_TYPES.join(', ')}`);
  if (!args.email && !args.phone) throw new UsageError('name the customer with --email or --phone');
  const event: Record<string, unknown> = { id: args.id ?? randomUUID(), type: args.type };
  for (const [flag, key] of [
    ['email', 'email'],
    ['phone', 'phone'],
    ['country', 'country'],
    ['occurred-at', 'occurredAt'],
  ] as const) {
    if (args[flag] !== undefined) event[key] = args[flag];
  }
  for (const pair of args.field ?? []) setField(event, args.type, pair);
  return event;
}

/** `a.b=value`: nested objects made as needed; a number where the type's schema wants one. */
function setField(event: Record<string, unknown>, type: string, pair: string): void {
  const at = pair.indexOf('=');
  const path = at > 0 ? pair.slice(0, at).split('.') : [];
  if (path.length === 0 || path.some((p) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(p)))
    throw new UsageError(`--field wants PATH=VALUE, e.g. voucher.code=X1; got ${pair}`);
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  if (expectsNumber(type, path)) {
    value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--field ${path.join('.')} wants a number; got ${raw}`);
  }
  let target = event;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
}

type SchemaNode = { def: { type: string; innerType?: SchemaNode; in?: SchemaNode }; shape?: Record<string, SchemaNode> };

/** Reads the event's zod schema, so "voucher.value=20" is 20 but a code "2024" stays text. */
function expectsNumber(type: string, path: string[]): boolean {
  let node: SchemaNode | undefined = loyaltyEventVariant(type);
  for (const key of path) {
    while (node && !node.shape && (node.def.innerType || node.def.in)) node = node.def.innerType ?? node.def.in;
    node = node?.shape?.[key];
  }
  while (node && (node.def.type === 'optional' || node.def.type === 'default')) node = node.def.innerType;
  return node?.def.type === 'number';
}

/** POSTs the body; prints the answer; 1 with the server's error on stderr when refused. */
async function send(args: Args, body: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (args['events-key']) {
    headers['x-comeback-shop-id'] = args['shop-id']!;
    headers['x-comeback-events-signature'] = signRequest(args['events-key'], {
      direction: 'program-to-sidecar',
      method: 'POST',
      path: EVENTS_PATH,
      body,
    });
  } else if (args.token) {
    headers.authorization = `Bearer ${args.token}`;
    headers['x-comeback-shop-id'] = args['shop-id']!;
  } else {
    headers['x-comeback-shop'] = args['shop-url']!;
    headers['x-comeback-signature'] = signRequest(args.secret!, {
      direction: 'plugin-to-sidecar',
      method: 'POST',
      path: EVENTS_PATH,
      body,
    });
  }
  let response: Response;
  try {
    response = await fetch(`${args.url!.replace(/\/+$/, '')}${EVENTS_PATH}`, { method: 'POST', headers, body });
  } catch (error) {
    // fetch's "fetch failed" says little; its cause (an Error: "connect ECONNREFUSED …") says why.
    const { cause, message } = error as Error;
    const reason = cause instanceof Error ? cause.toString() : typeof cause === 'string' ? cause : message;
    process.stderr.write(`could not reach ${args.url}: ${reason}\n`);
    return 1;
  }
  const answer = await response.text();
  if (response.ok) {
    process.stdout.write(`${prettyJson(answer)}\n`);
    return 0;
  }
  process.stderr.write(`${response.status} ${errorText(answer)}\n`);
  return 1;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The error's code and message, then each problem on its own line (index, field, message). */
function errorText(answer: string): string {
  try {
    const { error } = JSON.parse(answer) as {
      error: { code: string; message: string; details?: Array<{ index?: number | null; field?: string; message: string }> };
    };
    const details = (error.details ?? []).map(
      (d) => `\n  ${d.index ?? ''}${d.index !== undefined && d.index !== null ? ': ' : ''}${d.field || '(event)'}: ${d.message}`,
    );
    return `${error.code}: ${error.message}${details.join('')}`;
  } catch {
    return answer;
  }
}

process.exitCode = await main();
