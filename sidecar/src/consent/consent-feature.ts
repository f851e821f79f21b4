import type { Feature } from '../app/feature.ts';
import { consentRoutes } from './consent-routes.ts';
import { doubleOptInRoutes, type DoubleOptInDeps } from './double-opt-in.ts';

/** Consent per purpose and channel: the shop's API (changes, state, import, settings) and the double opt-in page /c/. */
export function consentFeature(deps: DoubleOptInDeps): Feature {
  return { publicRoutes: [doubleOptInRoutes(deps)], apiRoutes: [consentRoutes(deps)] };
}
