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
}

/** The shared catalogue (shortcodes/catalog.json); the PHP plugin reads the same file. */
export const catalog: readonly ShortcodeSpec[] = catalogJson as ShortcodeSpec[];

/** Handlebars helper name for a shortcode; prefixed so it never collides with context fields or built-ins. */
export function helperName(shortcode: string): string {
  return `sc_${shortcode}`;
}

/** Every helper a compiled template may call; the messages module must register all of them. */
export const helperNames: readonly string[] = catalog.map((s) => helperName(s.name));
