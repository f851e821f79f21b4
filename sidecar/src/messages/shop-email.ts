import { z } from 'zod';

/**
 * The shop's own WooCommerce email settings (WooCommerce → Settings → Emails → "Email sender
 * options" and "Email template"): who the shop's mail comes from, and its colours and header
 * image. The plugin reports them in its shop profile; without it they are read from WooCommerce's
 * REST settings. Anything that does not validate is dropped, so a message falls back to the
 * global sender and today's look rather than carrying a broken header or style.
 */
const hexColour = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i);
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u));
/** A display name goes into one header line: no control characters. */
const displayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f));
const address = z.string().trim().max(254).email();

/** Every field optional, and a field that does not validate becomes absent (never the whole document). */
const lenient = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);

export const shopEmailSchema = z.object({
  /** woocommerce_email_from_name */
  fromName: lenient(displayName),
  /** woocommerce_email_from_address */
  fromAddress: lenient(address),
  /** woocommerce_email_base_color: the header background and links. */
  baseColor: lenient(hexColour),
  /** woocommerce_email_background_color: around the email. */
  backgroundColor: lenient(hexColour),
  /** woocommerce_email_body_background_color: behind the body text. */
  bodyBackgroundColor: lenient(hexColour),
  /** woocommerce_email_text_color */
  textColor: lenient(hexColour),
  /** woocommerce_email_header_image: an http(s) URL. */
  headerImage: lenient(httpUrl),
});
export type ShopEmail = z.infer<typeof shopEmailSchema>;

/** Where a shop's stored email settings were read: the plugin's shop profile, or WooCommerce's REST settings. */
export type ShopEmailSource = 'plugin' | 'rest';
/** The stored document: the settings and where they were read (absent for a document stored before it was kept). */
export const shopEmailDocumentSchema = shopEmailSchema.extend({ source: lenient(z.enum(['plugin', 'rest'])) });

/** WooCommerce's option names for each field, as the plugin reads them and the REST settings list them. */
export const WOO_EMAIL_OPTIONS = {
  fromName: 'woocommerce_email_from_name',
  fromAddress: 'woocommerce_email_from_address',
  baseColor: 'woocommerce_email_base_color',
  backgroundColor: 'woocommerce_email_background_color',
  bodyBackgroundColor: 'woocommerce_email_body_background_color',
  textColor: 'woocommerce_email_text_color',
  headerImage: 'woocommerce_email_header_image',
} as const satisfies Record<keyof ShopEmail, string>;

/** The look of the email layout: today's look where the shop set nothing. */
export type EmailLook = {
  baseColor: string;
  /** The header text: dark on a light base colour, white on a dark one (WooCommerce's wc_light_or_dark). */
  headerTextColor: string;
  /** Links in the body: a colour that stands out on the body background. */
  linkColor: string;
  backgroundColor: string;
  bodyBackgroundColor: string;
  textColor: string;
  headerImage: string | null;
};

export const defaultEmailLook: EmailLook = {
  baseColor: '#7f54b3',
  headerTextColor: '#ffffff',
  linkColor: '#7f54b3',
  backgroundColor: '#f7f7f7',
  bodyBackgroundColor: '#ffffff',
  textColor: '#3c3c3c',
  headerImage: null,
};

export function emailLook(email: ShopEmail | null | undefined): EmailLook {
  if (!email) return defaultEmailLook;
  const baseColor = email.baseColor ?? defaultEmailLook.baseColor;
  const bodyBackgroundColor = email.bodyBackgroundColor ?? defaultEmailLook.bodyBackgroundColor;
  const headerTextColor = email.baseColor ? lightOrDark(baseColor, '#202020', '#ffffff') : defaultEmailLook.headerTextColor;
  // WooCommerce's templates/emails/email-styles.php picks the link colour that contrasts with the body.
  const linkColor = isLight(bodyBackgroundColor)
    ? isLight(baseColor)
      ? headerTextColor
      : baseColor
    : isLight(baseColor)
      ? baseColor
      : headerTextColor;
  return {
    baseColor,
    headerTextColor,
    linkColor,
    backgroundColor: email.backgroundColor ?? defaultEmailLook.backgroundColor,
    bodyBackgroundColor,
    textColor: email.textColor ?? defaultEmailLook.textColor,
    headerImage: email.headerImage ?? null,
  };
}

/** A stable key of a look, for the compiled-template cache. */
export function lookKey(look: EmailLook): string {
  return look === defaultEmailLook ? 'default' : JSON.stringify(look);
}

/**
 * WooCommerce's wc_light_or_dark() (includes/wc-formatting-functions.php): the brightness
 * (R·299 + G·587 + B·114) / 1000 above 155 takes the dark text.
 */
function lightOrDark(hex: string, dark: string, light: string): string {
  return isLight(hex) ? dark : light;
}

/** wc_hex_is_light() */
function isLight(hex: string): boolean {
  let h = hex.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  return (r * 299 + g * 587 + b * 114) / 1000 > 155;
}

/**
 * The sender a shop's email goes out with: the shop's own From and Reply-To (its WooCommerce
 * sender), or the global sender (COMEBACK_MAIL_FROM) when the shop set none or shop senders are
 * off (COMEBACK_MAIL_SHOP_FROM=off). The message builder and the admin's sender panel both ask here.
 */
export function messageSender(
  shop: { from: string; replyTo: string } | null,
  global: { from: string; shopFrom?: boolean },
): { shops: true; from: string; replyTo: string } | { shops: false; from: string; replyTo: null } {
  if (shop && global.shopFrom !== false) return { shops: true, ...shop };
  return { shops: false, from: global.from, replyTo: null };
}

/**
 * The From of a shop's mail: its WooCommerce sender name and address, the name quoted for the
 * header. Null when the shop set no valid address: the global sender is used then.
 */
export function shopSender(email: ShopEmail | null | undefined, shopName: string): { from: string; replyTo: string } | null {
  if (!email?.fromAddress) return null;
  const name = email.fromName ?? shopName;
  return { from: `"${name.replace(/["\\]/g, '\\$&')}" <${email.fromAddress}>`, replyTo: email.fromAddress };
}
