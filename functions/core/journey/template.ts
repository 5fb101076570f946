import type { Channel, Priority } from "../customer-state.ts";

/**
 * The locales a catalog writes its messages in, and the one used when a customer's locale has no
 * translation. The reference catalog uses the default.
 */
export interface LocaleSettings {
  /** BCP-47 tags every template must have text for, e.g. ["en-US", "ko-KR", "ja-JP"]. */
  readonly supported: readonly string[];
  /** Used when neither the customer's locale nor its language is supported; one of `supported`. */
  readonly fallback: string;
}

/** The reference catalog's locales (the default settings). */
export const SUPPORTED_LOCALES = ["en-US", "ko-KR"] as const;
export const FALLBACK_LOCALE = "en-US";

export const DEFAULT_LOCALES: LocaleSettings = Object.freeze({
  supported: SUPPORTED_LOCALES,
  fallback: FALLBACK_LOCALE,
});

export type TemplateVars = Record<string, unknown>;

/**
 * What a template's text may use besides its vars: deployment settings. `linkBaseUrl` is the base of
 * customer-facing links (a short domain you own: every SMS character counts), set per deployment.
 */
export interface TemplateContext {
  linkBaseUrl: string;
}

/** Customer-facing links without a configured base point here, which resolves nowhere (RFC 2606). */
export const DEFAULT_LINK_BASE_URL = "https://links.example";

export type TemplateText = (vars: TemplateVars, context: TemplateContext) => string;

export interface LocalizedTemplate {
  sms: TemplateText;
  /** A shorter SMS, sent instead when `sms` would run over the template's `maxSmsSegments`. */
  smsShort?: TemplateText;
  email: { subject: TemplateText; body: TemplateText };
}

/** What an SMS may cost at most unless its template says otherwise: the reference templates fit in 3. */
export const DEFAULT_MAX_SMS_SEGMENTS = 3;

export interface MessageTemplate {
  id: string;
  priority: Priority;
  /**
   * Other priorities the same text may go out at: a data-usage alert is a service message, but the
   * variant that recommends an upgrade is marketing (consent, caps, ad marking).
   */
  alsoAs?: readonly Priority[];
  /** Tags every send of this template carries: frequency rules may be scoped to a tag ("promo", "survey"). */
  tags?: readonly string[];
  /** Vars the text needs: every `send` node using the template must provide each (checked by defineCatalog). */
  vars?: readonly string[];
  /** Text per BCP-47 locale; the catalog checks that every supported locale is present. */
  locales: Readonly<Record<string, LocalizedTemplate>>;
  /** The most SMS segments a message may take (ad marking included). @default DEFAULT_MAX_SMS_SEGMENTS */
  maxSmsSegments?: number;
  /**
   * Realistic vars, long names included: `defineCatalog` renders every locale's SMS with each and
   * refuses a template whose SMS (or its `smsShort`) runs over `maxSmsSegments`.
   */
  samples?: readonly TemplateVars[];
}

export interface RenderedMessage {
  locale: string;
  subject?: string;
  body: string;
}

/**
 * The customer's locale when a translation exists, else another locale of the same language
 * (`ko` → `ko-KR`), else the fallback. Tags compare case-insensitively and `_` reads as `-`.
 */
export function pickLocale(
  locale: string | undefined,
  available: readonly string[] = DEFAULT_LOCALES.supported,
  fallback: string = DEFAULT_LOCALES.fallback,
): string {
  if (locale) {
    const wanted = locale.replace(/_/g, "-").toLowerCase();
    const exact = available.find((tag) => tag.toLowerCase() === wanted);
    if (exact) return exact;
    const language = wanted.split("-")[0];
    const sameLanguage = available.find((tag) => tag.toLowerCase().split("-")[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}

export function defineTemplate(template: MessageTemplate): MessageTemplate {
  return Object.freeze(template);
}

export interface RenderOptions {
  /** @default en-US */
  fallback?: string;
  /** Render the locale's `smsShort` (when it has one) instead of its `sms`. */
  short?: boolean;
  /** @default DEFAULT_LINK_BASE_URL */
  linkBaseUrl?: string;
}

/** Renders a template in the customer's locale (see `pickLocale`) for one channel. */
export function renderTemplate(
  template: MessageTemplate,
  locale: string | undefined,
  channel: Channel,
  vars: TemplateVars,
  options: RenderOptions = {},
): RenderedMessage {
  const picked = pickLocale(
    locale,
    Object.keys(template.locales),
    options.fallback ?? DEFAULT_LOCALES.fallback,
  );
  const localized = template.locales[picked];
  if (!localized) throw new Error(`template ${template.id} has no ${picked} text (the fallback locale)`);
  const context: TemplateContext = { linkBaseUrl: options.linkBaseUrl ?? DEFAULT_LINK_BASE_URL };
  if (channel === "sms") {
    const text = options.short && localized.smsShort ? localized.smsShort : localized.sms;
    return { locale: picked, body: text(vars, context) };
  }
  return {
    locale: picked,
    // A subject is one header line: a line break in it would start new headers.
    subject: localized.email
      .subject(vars, context)
      .replace(/[\r\n]+/g, " ")
      .trim(),
    body: localized.email.body(vars, context),
  };
}

/** "Hi Jane" / "Hi there" — templates never print "undefined". */
export function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value : fallback;
}

/** The first product and how many more: "Galaxy S26 and 1 more item". */
export function productSummary(value: unknown, more: (n: number) => string, fallback: string): string {
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  if (names.length === 0) return fallback;
  return names.length === 1 ? names[0]! : `${names[0]}${more(names.length - 1)}`;
}
