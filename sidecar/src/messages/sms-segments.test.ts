import { describe, expect, it } from 'vitest';
import { countSms } from './sms-segments.ts';

describe('SMS segments, counted as a phone sends the text', () => {
  it.each([
    ['empty', '', { encoding: 'GSM-7', characters: 0, segments: 0 }],
    ['160 GSM-7 characters fit one SMS', 'a'.repeat(160), { encoding: 'GSM-7', characters: 160, segments: 1, perSegment: 160 }],
    ['161 go as two parts of 153', 'a'.repeat(161), { encoding: 'GSM-7', characters: 161, segments: 2, perSegment: 153 }],
    ['306 fill two parts exactly', 'a'.repeat(306), { characters: 306, segments: 2 }],
    ['307 need a third part', 'a'.repeat(307), { characters: 307, segments: 3 }],
    ['the GSM-7 accents stay GSM-7', 'Grüße à Zürich, ¿Qué? Ñandù £5 ¥ §', { encoding: 'GSM-7', characters: 34, segments: 1 }],
    ['ú is not in GSM-7', 'Ñandú', { encoding: 'UCS-2', characters: 5 }],
    ['€ counts two (escape + character)', '5 €', { encoding: 'GSM-7', characters: 4, segments: 1 }],
    ['159 + € is 161: two parts', `${'a'.repeat(159)}€`, { encoding: 'GSM-7', characters: 161, segments: 2 }],
    ['the extension table counts two each', '[]{}\\^~|', { encoding: 'GSM-7', characters: 16 }],
    // 152 septets then € (2): the escape pair is not split, it goes whole into the second part.
    ['an escape pair is never split across parts', `${'a'.repeat(152)}€${'a'.repeat(152)}`, { characters: 306, segments: 3 }],
    ['an emoji switches to UCS-2 and counts two units', 'Hi 😀', { encoding: 'UCS-2', characters: 5, segments: 1, perSegment: 70 }],
    ['70 UCS-2 units fit one SMS', `${'ą'.repeat(70)}`, { encoding: 'UCS-2', characters: 70, segments: 1 }],
    ['71 go as two parts of 67', `${'ą'.repeat(71)}`, { encoding: 'UCS-2', characters: 71, segments: 2, perSegment: 67 }],
    ['a surrogate pair is never split', `${'ą'.repeat(66)}😀${'ą'.repeat(66)}`, { encoding: 'UCS-2', characters: 134, segments: 3 }],
    ['a Polish letter outside GSM-7 switches the whole text', `Zamówienie ${'a'.repeat(100)} żółć`, { encoding: 'UCS-2', segments: 2 }],
  ] as const)('%s', (_name, text, expected) => {
    expect(countSms(text)).toMatchObject(expected);
  });
});
