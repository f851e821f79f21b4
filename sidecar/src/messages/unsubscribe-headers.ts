/**
 * RFC 2369 List-Unsubscribe plus RFC 8058 List-Unsubscribe-Post. One-click needs an https URI,
 * so for any other scheme the Post header is left out (providers would ignore it anyway).
 * The value is one line; the smtp channel sends it unfolded (folding broke DKIM on some relays).
 */
export function unsubscribeHeaders(url: string, mailto?: string): Record<string, string> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`unsubscribe url must be http(s): ${url}`);
  }
  const uris = [parsed.href];
  if (mailto) uris.push(mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`);
  for (const uri of uris) {
    if (/[\s<>,]/.test(uri)) throw new Error(`unsubscribe uri has characters a header cannot carry: ${JSON.stringify(uri)}`);
  }
  const headers: Record<string, string> = { 'List-Unsubscribe': uris.map((u) => `<${u}>`).join(', ') };
  if (parsed.protocol === 'https:') headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}
