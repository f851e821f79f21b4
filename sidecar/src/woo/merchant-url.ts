import { BlockList, isIP } from 'node:net';
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { AppError } from '../errors.ts';

/**
 * Every URL a merchant (or a shop's plugin) gives the sidecar — the shop's address, where its plugin
 * answers — is fetched by the sidecar, so without a check the sidecar would reach, for whoever can
 * type a URL, what only it can reach: its own loopback, the private network, a cloud's metadata
 * service. So: http or https only, and every address the host resolves to public. The check runs at
 * the edge (a plain 400) and again at every connection (the agents' `lookup`), so a name that
 * resolves to a public address when checked and a private one when fetched (DNS rebinding) is
 * refused too, as is a redirect to such an address. `allowPrivate` (COMEBACK_ALLOW_PRIVATE_URLS)
 * is for development and tests, where the shop runs on this machine.
 */

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: an IPv4 address inside
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, unique-local, multicast or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = mappedIpv4(address);
  if (mapped) return refused.check(mapped, 'ipv4');
  return refused.check(address, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:10.0.0.1, ::ffff:a00:1, ::a00:1), else null. */
function mappedIpv4(address: string): string | null {
  // The URL parser writes IPv6 in one canonical form, an IPv4 tail as two hex groups (::ffff:7f00:1).
  const canonical = new URL(`http://[${address}]`).hostname.replace(/^\[|\]$/g, '');
  const hex = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  readonly code = 'EPRIVATEADDRESS';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for sockets: resolves as dns.lookup does, and fails when any address the name has is private. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses;
    if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) {
      return callback(new PrivateAddressError(`${hostname} resolves to an address that is not on the public internet`), []);
    }
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/** How the sidecar may reach merchant-given URLs: `allowPrivate` (COMEBACK_ALLOW_PRIVATE_URLS) lets it reach this machine and the private network. */
export type MerchantNet = { allowPrivate: boolean };

type Agents = { httpAgent: http.Agent; httpsAgent: https.Agent };
const agentsByPolicy = new Map<boolean, Agents>();

/** Agents for requests to merchant-given URLs (one pair per policy, shared): every connection checks the address it is about to use. */
export function merchantAgents(net: MerchantNet): Agents {
  let agents = agentsByPolicy.get(net.allowPrivate);
  if (!agents) {
    const lookup = net.allowPrivate ? undefined : (publicOnlyLookup as unknown as http.AgentOptions['lookup']);
    agents = { httpAgent: new http.Agent({ lookup }), httpsAgent: new https.Agent({ lookup }) };
    agentsByPolicy.set(net.allowPrivate, agents);
  }
  return agents;
}

/**
 * Refuses, with a 400 naming the field, a URL the sidecar must not fetch: not http(s), or a host
 * that does not resolve or resolves to a private address. Nothing of any answer is fetched here.
 */
export async function checkMerchantUrl(raw: string, field: string, net: MerchantNet): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AppError.badRequest('invalid_url', `${field} is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw AppError.badRequest('invalid_url', `${field} must start with http:// or https://.`);
  if (url.username || url.password) throw AppError.badRequest('invalid_url', `${field} must not carry a user name or password.`);
  if (net.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await dns.promises.lookup(host, { all: true });
  } catch {
    throw AppError.badRequest('unresolvable_url', `${field}: ${host} could not be found (DNS).`);
  }
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw AppError.badRequest(
      'private_url',
      `${field} points at a local or private network address; Comeback only connects to shops on the public internet.`,
    );
  }
}

export type MerchantAnswer = { status: number; json: unknown };

/**
 * GET a merchant-given URL with the address check on every connection and redirect (at most 3, http(s)
 * only). Answers the status and the body parsed as JSON (undefined when it is not JSON); the body is
 * for the caller to read, never to repeat to whoever asked.
 */
export async function getFromMerchant(
  url: string | URL,
  net: MerchantNet,
  options: { headers?: Record<string, string>; timeoutMs?: number; maxBytes?: number } = {},
): Promise<MerchantAnswer> {
  const agents = merchantAgents(net);
  let target = new URL(url);
  for (let hop = 0; hop <= 3; hop++) {
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      throw new Error('the shop redirected to an address that is not http(s)');
    const answer = await getOnce(target, target.protocol === 'https:' ? agents.httpsAgent : agents.httpAgent, options);
    if (answer.location && answer.status >= 300 && answer.status < 400) {
      target = new URL(answer.location, target);
      continue;
    }
    return { status: answer.status, json: answer.json };
  }
  throw new Error('the shop redirected too many times');
}

function getOnce(
  url: URL,
  agent: http.Agent,
  options: { headers?: Record<string, string>; timeoutMs?: number; maxBytes?: number },
): Promise<{ status: number; json: unknown; location?: string }> {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(
      url,
      { agent, headers: { accept: 'application/json', ...options.headers }, timeout: options.timeoutMs ?? 10_000 },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) request.destroy(new Error('the answer is too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, location: response.headers.location });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('the shop did not answer in time'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
  });
}
