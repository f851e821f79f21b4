import type { FieldProblem, TemplateFieldError } from '@comeback/sidecar/api-contracts';
import { uiLanguage } from './ui-language.ts';

/**
 * The admin API, the same calls from both hosts. In WordPress the plugin proxies them (REST route
 * comeback/v1/admin/…, the user's nonce and manage_woocommerce; the plugin signs for the sidecar);
 * served by the sidecar at /admin they carry the admin token and the chosen shop.
 */
export type Host = { kind: 'wordpress'; root: string; nonce: string } | { kind: 'sidecar'; token: string; shopId: number | null };

/**
 * A problem the API found in one field, as one shape whatever refused it. Template problems
 * (invalid_template) point at a line and column of the text; other refusals (invalid_flow) only
 * name the field, e.g. "steps.0.delay.value". `code` is any string: the sidecar adds its own
 * (missing_text) to the validator's. Messages are plain words
 * naming the field ("The subject is empty."), whatever refused it.
 */
export type FieldError = Pick<FieldProblem, 'message'> & Partial<FieldProblem & Omit<TemplateFieldError, 'code'>> & { code?: string };

/** Each error once: the same problem can come from the save and from the live preview. */
export function uniqueErrors(errors: FieldError[]): FieldError[] {
  return errors.filter(
    (e, i, all) => all.findIndex((o) => o.field === e.field && o.line === e.line && o.column === e.column && o.code === e.code) === i,
  );
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** The WordPress plugin did not forward the call: it is older than this screen. */
  get notForwarded(): boolean {
    return this.code === 'comeback_path_refused';
  }
  /** Template errors (line/column per field) when the API refused texts. */
  fieldErrors(): FieldError[] {
    return Array.isArray(this.details) ? (this.details as FieldError[]) : [];
  }
}

let host: Host | null = null;

export function setHost(next: Host): void {
  host = next;
}

export function currentHost(): Host | null {
  return host;
}

/** `path` is the sidecar's, e.g. "/api/queue?status=failing". */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
  if (!host) throw new ApiError(0, 'not_signed_in', 'Not signed in');
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': uiLanguage() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let url: string;
  if (host.kind === 'wordpress') {
    const [route, query] = path.replace(/^\/api\//, '').split('?');
    // ?rest_route= works whatever the site's permalinks; the sidecar path travels as `path`.
    const target = new URL(host.root, window.location.href);
    target.searchParams.set('rest_route', '/comeback/v1/admin');
    target.searchParams.set('path', `${route}${query ? `?${query}` : ''}`);
    url = target.toString();
    headers['x-wp-nonce'] = host.nonce;
  } else {
    url = path;
    headers.authorization = `Bearer ${host.token}`;
    if (host.shopId !== null) headers['x-comeback-shop-id'] = String(host.shopId);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(0, 'network', `Comeback could not be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): reported below with the status.
  }
  if (!response.ok) {
    // The sidecar answers { error: { code, message, details } }; WordPress's own refusals (the plugin's proxy) { code, message }.
    const body = data as { error?: { code?: string; message?: string; details?: unknown }; code?: string; message?: string } | undefined;
    const error = body?.error ?? (typeof body?.code === 'string' ? { code: body.code, message: body.message } : undefined);
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, body?.error?.details);
  }
  return data as T;
}
