import catalogJson from '../catalog.json' with { type: 'json' };

/**
 * What a message is about: an order paid through an online gateway, an order paid by bank
 * transfer or cheque, a cart the shopper left at checkout (no order yet), or the customer
 * themself (win-back, loyalty notices, campaigns: no order, no cart).
 */
export type MessageContext = 'online' | 'offline' | 'cart' | 'customer';

/**
 * The context a template is validated for. "any" means the same text may be sent for both kinds
 * of order (online and offline), so only shortcodes that make sense for both are allowed in it.
 */
export type TemplateContext = MessageContext | 'any';

/**
 * What a message must know, beyond its context, for a shortcode to print something: the step's
 * personal coupon, a parcel on the way (orders that shipped), the customer's loyalty profile, the
 * voucher or the survey request the loyalty event is about.
 */
export type MessageFact = 'coupon' | 'tracking' | 'loyalty' | 'voucher' | 'nps';
export const MESSAGE_FACTS: readonly MessageFact[] = ['coupon', 'tracking', 'loyalty', 'voucher', 'nps'];

/**
 * A text's context with the facts its message will know: validate() refuses a shortcode whose
 * fact is missing (it would print nothing), and the editor's palette leaves it out. A plain
 * TemplateContext stands for every fact (the send-time check of a saved text).
 */
export interface TextContext {
  context: TemplateContext;
  facts: readonly MessageFact[];
}

export interface AttributeSpec {
  name: string;
  description: string;
  default?: string;
  required?: boolean;
}

export interface ShortcodeSpec {
  name: string;
  description: string;
  attributes: AttributeSpec[];
  example: string;
  contexts: MessageContext[];
  /**
   * Shown when the shortcode is used in a text for a context it does not fit, keyed by that
   * context; says what to use instead. A text for "any" order gets the hint of the order context
   * the shortcode lacks.
   */
  wrongContextHint?: Partial<Record<MessageContext, string>>;
  /** The fact it prints, when its contexts alone do not promise one; `why` says so to the editor and what to do. */
  needs?: { fact: MessageFact; why: string };
}

/** The shared catalogue (shortcodes/catalog.json); the PHP plugin reads the same file. */
export const catalog: readonly ShortcodeSpec[] = catalogJson as ShortcodeSpec[];

/** Handlebars helper name for a shortcode; prefixed so it never collides with context fields or built-ins. */
export function helperName(shortcode: string): string {
  return `sc_${shortcode}`;
}

/** Every helper a compiled template may call; the messages module must register all of them. */
export const helperNames: readonly string[] = catalog.map((s) => helperName(s.name));
