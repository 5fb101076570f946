/**
 * Numbers as the data-usage alert shows them. One gigabyte is 1024 megabytes everywhere in this
 * journey (decision, why-lines, messages): that is how carriers meter and bill mobile data.
 */
export const MB_PER_GB = 1024;

/** Rounds money to cents (2 decimals); the epsilon keeps 1.005 from becoming 1.00. */
export function roundMoney(amount: number): number {
  return Math.round((amount + Number.EPSILON) * 100) / 100;
}

/** "4.1 GB", "5 GB"; below a tenth of a gigabyte, megabytes ("50 MB") so it never reads "0 GB". */
export function formatData(mb: number, separator = " "): string {
  if (mb > 0 && mb < MB_PER_GB / 10) return `${Math.round(mb)}${separator}MB`;
  return `${trimZero((mb / MB_PER_GB).toFixed(1))}${separator}GB`;
}

const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** "21.33", "9", "11,000": for why-lines, which care agents read out with the currency code. */
export function formatAmount(amount: number): string {
  return plain.format(amount);
}

/**
 * Money for a customer message. Whole amounts drop the decimals ("$10/GB"); others show the
 * currency's usual digits ("$7.17", "7,734원"). Only ASCII and Hangul symbols: "₩" or "€" would
 * push an English SMS out of GSM-7 and triple its segment count.
 */
export function formatMoney(amount: number, currency: string, locale: "en-US" | "ko-KR"): string {
  const digits = Number.isInteger(amount) ? 0 : currencyDigits(currency);
  const number = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
  if (currency === "USD") return `$${number}`;
  if (currency === "KRW" && locale === "ko-KR") return `${number}원`;
  return `${number} ${currency}`;
}

function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits!;
  } catch {
    return 2;
  }
}

function trimZero(fixed: string): string {
  return fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed;
}
