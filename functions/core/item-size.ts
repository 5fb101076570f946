/**
 * The size DynamoDB charges and limits an item by, computed the way DynamoDB documents it: attribute
 * names and string values in UTF-8 bytes, numbers by their significant digits, one byte for a boolean or
 * null, and 3 bytes plus 1 byte per element for each list or map. dynalite counts UTF-16 units instead,
 * which under-counts Korean text by up to 2.25×; Waymark never relies on the store to say an item is too
 * big.
 */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): number {
  // Fast path: a string of ASCII only is one byte per unit.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return utf8.encode(text).length;
  }
  return text.length;
}

function numberBytes(value: number): number {
  const digits = String(Math.abs(value))
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size of one attribute value as the document client marshals it (`undefined` members are dropped). */
export function attributeValueBytes(value: unknown): number {
  if (value === null || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number") return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value) size += 1 + attributeValueBytes(element);
    return size;
  }
  if (typeof value === "object") {
    let size = 3;
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined) continue;
      size += 1 + utf8Bytes(name) + attributeValueBytes(member);
    }
    return size;
  }
  return 0;
}

/**
 * A bound that the exact size never exceeds: three times the JSON text's length. Every byte DynamoDB
 * counts has at least a third of a JSON character behind it (a UTF-8 byte of a name or string ≤ 3 per
 * UTF-16 unit; a number's ceil(digits / 2) + 1 ≤ 3 × its digits; a list's or map's 3 + 1 per element ≤ 3 ×
 * its brackets, quotes and separators). `JSON.stringify` is native, so the bound costs a fraction of the
 * exact walk: the exact size is computed only when the bound comes near a budget.
 */
export function sizeUpperBound(value: unknown): number {
  return 3 * (JSON.stringify(value)?.length ?? 0);
}

/** The size of a whole item: the sum of its attributes' names and values. */
export function itemBytes(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += utf8Bytes(name) + attributeValueBytes(value);
  }
  return size;
}
