/**
 * Contact points are masked before they reach a log line: logs carry customer ids, never a
 * full phone number or email address.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, "");
  if (phone.startsWith("+82") && digits.length >= 11) {
    return `+82-${digits.slice(2, 4)}-****-${digits.slice(-4)}`;
  }
  if (digits.length <= 4) return "****";
  const country = phone.startsWith("+1") ? "+1" : `+${digits.slice(0, 2)}`;
  return `${country}-***-***-${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

export function maskContact(to: string): string {
  return to.includes("@") ? maskEmail(to) : maskPhone(to);
}

const EMAIL_LIKE = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;
/** A phone number as producers and AWS write them: +, digits, spaces, dots, dashes, brackets; 7+ digits. */
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g;

/**
 * A customer id as a log line may show it: ids are producers' own, and some are an email address or a
 * phone number; those are masked like the contact points they are.
 */
export function maskIdentifier(id: string): string {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(id)) return maskEmail(id);
  if (/^\+?[\d\s().-]+$/.test(id) && id.replace(/\D/g, "").length >= 7) return maskPhone(id);
  return id;
}

/** Text from elsewhere (an AWS error message) with every phone number and email address in it masked. */
export function scrubContacts(text: string): string {
  return text
    .replace(EMAIL_LIKE, (email) => maskEmail(email))
    .replace(PHONE_LIKE, (phone) => (phone.replace(/\D/g, "").length >= 7 ? maskPhone(phone) : phone));
}

/** An error fit for a log line: same name, message and stack, with contact points masked. */
export function scrubbedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(scrubContacts(String(error)));
  const scrubbed = new Error(scrubContacts(error.message));
  scrubbed.name = error.name;
  if (error.stack) scrubbed.stack = scrubContacts(error.stack);
  return scrubbed;
}
