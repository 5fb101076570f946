import type { Channel, Priority } from "../customer-state.ts";

export const SUPPORTED_LOCALES = ["en-US", "ko-KR"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: SupportedLocale = "en-US";

export type TemplateVars = Record<string, unknown>;

export interface LocalizedTemplate {
  sms: (vars: TemplateVars) => string;
  email: { subject: (vars: TemplateVars) => string; body: (vars: TemplateVars) => string };
}

export interface MessageTemplate {
  id: string;
  priority: Priority;
  /**
   * Other priorities the same text may go out at: a data-usage alert is a service message, but the
   * variant that recommends an upgrade is marketing (consent, caps, ad marking).
   */
  alsoAs?: readonly Priority[];
  locales: Record<SupportedLocale, LocalizedTemplate>;
}

export interface RenderedMessage {
  locale: SupportedLocale;
  subject?: string;
  body: string;
}

/** The customer's locale when a translation exists, else the fallback (en-US). */
export function pickLocale(locale: string | undefined): SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(locale ?? "")
    ? (locale as SupportedLocale)
    : FALLBACK_LOCALE;
}

export function defineTemplate(template: MessageTemplate): MessageTemplate {
  return Object.freeze(template);
}

export function renderTemplate(
  template: MessageTemplate,
  locale: string | undefined,
  channel: Channel,
  vars: TemplateVars,
): RenderedMessage {
  const picked = pickLocale(locale);
  const localized = template.locales[picked];
  if (channel === "sms") return { locale: picked, body: localized.sms(vars) };
  return { locale: picked, subject: localized.email.subject(vars), body: localized.email.body(vars) };
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
