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
