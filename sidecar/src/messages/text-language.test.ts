import { describe, expect, it } from 'vitest';
import type { MessageTemplates } from './message-templates.ts';
import { dateFormatOf, defaultShopFormats, formatsInLanguage } from './shop-formats.ts';
import { textsIn, translationFor } from './text-language.ts';

const step: MessageTemplates = {
  email: { subject: 'Hello', body: 'Default' },
  sms: { body: 'Default SMS' },
  translations: {
    de_DE_formal: { email: { subject: 'Guten Tag', body: 'Sie' } },
    pl_PL: { sms: { body: 'Polski SMS' } },
  },
};

describe('which text a message in a language is written with', () => {
  it("takes the locale's own translation, else one in the same language, else none", () => {
    expect(translationFor(step, 'pl_PL')?.locale).toBe('pl_PL');
    expect(translationFor(step, 'de_AT')?.locale).toBe('de_DE_formal');
    expect(translationFor(step, 'fr_FR')).toBeNull();
    expect(translationFor(step, null)).toBeNull();
  });

  it('falls back per channel: a Polish step with only an SMS translation emails the default', () => {
    expect(textsIn(step, 'sms', 'pl_PL')).toMatchObject({ texts: { sms: { body: 'Polski SMS' } }, textLanguage: 'pl_PL' });
    expect(textsIn(step, 'email', 'pl_PL')).toMatchObject({ texts: { email: { subject: 'Hello' } }, textLanguage: null });
    expect(textsIn(step, 'email', 'de_DE')).toMatchObject({ texts: { email: { subject: 'Guten Tag' } }, textLanguage: 'de_DE_formal' });
  });
});

describe('dates in the language of the text', () => {
  it("reads each language's long date order from Intl as a WordPress date format", () => {
    expect(dateFormatOf('pl_PL')).toBe('j F Y');
    expect(dateFormatOf('de_DE')).toBe('j. F Y');
    expect(dateFormatOf('en_US')).toBe('F j, Y');
    // A WordPress variant is no Intl tag: its language's names all the same.
    expect(formatsInLanguage(defaultShopFormats, 'pt_PT_ao90').dates!.months[2]).toBe('março');
  });

  it("keeps the shop's own formats for its language and its prices in every language", () => {
    expect(formatsInLanguage(defaultShopFormats, 'en_GB')).toBe(defaultShopFormats);
    const polish = formatsInLanguage(defaultShopFormats, 'pl_PL');
    expect(polish.price).toEqual(defaultShopFormats.price);
    expect(polish.dates).toMatchObject({ format: 'j F Y', declineMonths: true });
    expect(polish.dates!.months[2]).toBe('marzec');
    expect(polish.dates!.monthsGenitive[2]).toBe('marca');
    // [bank_details]' labels in the text's language too.
    expect(polish.labels).toMatchObject({ accountName: 'Nazwa konta', accountNumber: 'Numer konta' });
  });
});
