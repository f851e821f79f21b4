import { z } from 'zod';
import { numberRuleText, type NumberRange } from './flow-texts.ts';

/**
 * A number field's schema refusing with the admin UI's own words for the field ("Enter a whole
 * number from 1 to 720."): a missing, fractional or out-of-range value alike (flow-texts.ts). Its
 * own module, so the segment rules' schema (which the flow schema imports) can use it too.
 */
export function rangedNumber(range: NumberRange) {
  // Worded when a value is refused, not when the schema is built: in the language of the request at hand.
  const error = () => numberRuleText(range);
  const number = z.number({ error });
  return (range.whole === false ? number : number.int({ error })).min(range.min, { error }).max(range.max, { error });
}
