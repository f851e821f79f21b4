import { getLocaleData } from '@wordpress/i18n';

/**
 * The UI's language for the sidecar's refusals (Accept-Language): the locale its translations were
 * loaded for ("pl_PL" → "pl-PL, pl;q=0.9"), English without any. Through WordPress the plugin's proxy
 * names the user's locale itself.
 */
export function uiLanguage(): string {
  const meta = getLocaleData('comeback')?.[''] as { lang?: string } | undefined;
  const [language, region] = (meta?.lang ?? '').split(/[_-]/);
  if (!language || !/^[a-z]{2,3}$/i.test(language)) return 'en-US';
  const lower = language.toLowerCase();
  return region && /^[a-z]{2}$/i.test(region) ? `${lower}-${region.toUpperCase()}, ${lower};q=0.9` : lower;
}
