import catalogJson from '../catalog.json' with { type: 'json' };

/** Where a reminder text is sent: orders paid through an online gateway, or by bank transfer/cheque. */
export type PaymentContext = 'online' | 'offline';

/**
 * The context a template is validated for. "any" means the same text may be sent for both kinds
 * of order, so only shortcodes that make sense for both are allowed in it.
 */
export type TemplateContext = PaymentContext | 'any';

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
  contexts: PaymentContext[];
  /** Shown when the shortcode is used where it makes no sense; says what to use instead. */
  wrongContextHint?: string;
}

/** The shared catalogue (shortcodes/catalog.json); the PHP plugin reads the same file. */
export const catalog: readonly ShortcodeSpec[] = catalogJson as ShortcodeSpec[];

/** Handlebars helper name for a shortcode; prefixed so it never collides with context fields or built-ins. */
export function helperName(shortcode: string): string {
  return `sc_${shortcode}`;
}

/** Every helper a compiled template may call; the messages module must register all of them. */
export const helperNames: readonly string[] = catalog.map((s) => helperName(s.name));
