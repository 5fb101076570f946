/**
 * Keys from the wire (order ids, detail fields) are data: `__proto__` or `constructor` must become an
 * own property like any other key, never reach the prototype setter that plain assignment would call.
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
