import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Twilio-Signature for form-encoded webhooks (status callbacks, inbound messages): the URL
 * Twilio requested, then every parameter name followed by its value, names sorted (a repeated
 * name's values sorted too), HMAC-SHA1 with the account's auth token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams | Record<string, string>): string {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const byName = new Map<string, string[]>();
  for (const [name, value] of entries) byName.set(name, [...(byName.get(name) ?? []), value]);
  let signed = url;
  for (const name of [...byName.keys()].sort(byteOrder)) {
    for (const value of byName.get(name)!.sort(byteOrder)) signed += name + value;
  }
  return createHmac('sha1', Buffer.from(authToken, 'utf8')).update(signed, 'utf8').digest('base64');
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Checks a webhook's signature in constant time. Twilio is not consistent about an explicit
 * default port in the URL it signs, so the URL is tried as given, with and without :443/:80
 * (as Twilio's own helper does).
 */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Record<string, string>,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'utf8');
  return urlVariants(url).some((variant) => {
    const expected = Buffer.from(twilioSignature(authToken, variant, params), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function urlVariants(url: string): string[] {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  const withoutPort = url.replace(/^(https?:\/\/[^/:]+):(443|80)(?=[/?]|$)/, '$1');
  const withPort = parsed.port === '' && defaultPort ? url.replace(/^(https?:\/\/[^/?]+)/, `$1:${defaultPort}`) : url;
  return [...new Set([url, withoutPort, withPort])];
}
