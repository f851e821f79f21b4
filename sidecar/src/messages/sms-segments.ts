/**
 * How a phone carries a text: in GSM-7 (3GPP TS 23.038's default alphabet, 160 septets in one
 * SMS, 153 per part of a longer one) when every character is in it, else in UCS-2 (70 UTF-16
 * units, 67 per part). The extension table's characters (€, [, ], {, }, \, ^, ~, |, form feed)
 * take two septets (an escape and the character); an escape pair, like a UTF-16 surrogate pair,
 * is never split across two parts, so a part may hold one unit fewer.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';
export type SmsCount = {
  encoding: SmsEncoding;
  /** Septets (GSM-7, an extension character counts two) or UTF-16 units (UCS-2, an emoji counts two). */
  characters: number;
  /** How many SMS the text goes as (0 for an empty text). */
  segments: number;
  /** What one SMS holds in this encoding at this length: 160/153 or 70/67. */
  perSegment: number;
};

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

const LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

/** The encoding, length and number of SMS of a text as it will be sent (shortcodes already filled). */
export function countSms(text: string): SmsCount {
  const chars = [...text];
  const gsm = chars.every((c) => BASIC.has(c) || EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  // The units of each character: what it takes, kept together within one part.
  const units = chars.map((c) => (gsm ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const characters = units.reduce((a, b) => a + b, 0);
  const { single, part } = LIMITS[encoding];
  if (characters === 0) return { encoding, characters, segments: 0, perSegment: single };
  if (characters <= single) return { encoding, characters, segments: 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments++;
      used = 0;
    }
    used += u;
  }
  return { encoding, characters, segments, perSegment: part };
}
