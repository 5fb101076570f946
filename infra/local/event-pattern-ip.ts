/**
 * IP address literals and CIDR blocks for the `cidr` operator and for exact matches on IP addresses.
 *
 * The accepted syntax follows EventBridge's matcher (aws/event-ruler): dotted-quad IPv4 and hex-group
 * IPv6 with at most one `::`. Zone ids and IPv6 with an embedded dotted quad are not IP literals there,
 * so they are not here either.
 */
import { invalidPattern } from "./event-pattern-error.ts";

/** 4 bytes for IPv4, 16 for IPv6. */
export type IpAddress = Uint8Array;

/** A parsed `cidr` operand. */
export interface CidrBlock {
  /** Whether `text` is an IP address literal of the block's family inside the block. */
  contains(text: string): boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;
const IPV6_GROUPS = 8;

/** Parses an IPv4 or IPv6 address literal; `undefined` if `text` is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** Whether two addresses are the same address (so "2001:db8::1" equals "2001:DB8:0:0:0:0:0:1"). */
export function sameAddress(a: IpAddress, b: IpAddress | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Parses and validates a `cidr` operand such as "10.0.0.0/24" or "2001:db8::/64". */
export function parseCidr(text: string, path: string): CidrBlock {
  const parts = text.split("/");
  if (parts.length !== 2) invalidPattern("Malformed CIDR, one '/' required", path);
  const [addressText = "", bitsText = ""] = parts;
  if (!/^\d+$/.test(bitsText)) invalidPattern("Malformed CIDR, mask bits must be an integer", path);
  const network = parseIpAddress(addressText);
  if (network === undefined) invalidPattern(`Nonstandard IP address: ${addressText}`, path);
  const bits = Number(bitsText);
  const maxBits = network.length * 8;
  if (bits > maxBits) {
    invalidPattern(`${network.length === 4 ? "IPv4" : "IPv6"} mask bits must be <= ${maxBits}`, path);
  }
  return {
    contains(candidate) {
      const address = parseIpAddress(candidate);
      // An IPv4 value never falls in an IPv6 block and vice versa: their byte strings differ in length.
      return address !== undefined && address.length === network.length && samePrefix(address, network, bits);
    },
  };
}

function parseIpv4(text: string): IpAddress | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? Uint8Array.from(octets) : undefined;
}

function parseIpv6(text: string): IpAddress | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const [head = "", tail] = halves;
  const headGroups = splitGroups(head);
  const tailGroups = splitGroups(tail ?? "");
  const given = [...headGroups, ...tailGroups];
  if (!given.every((group) => IPV6_GROUP.test(group))) return undefined;
  const missing = IPV6_GROUPS - given.length;
  // Without "::" all eight groups are spelled out; with it, "::" stands for at least one zero group.
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  const bytes = new Uint8Array(IPV6_GROUPS * 2);
  groups.forEach((group, i) => {
    const word = Number.parseInt(group, 16);
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

function splitGroups(text: string): string[] {
  return text === "" ? [] : text.split(":");
}

/** Whether `a` and `b` agree on their first `bits` bits; host bits of the block are ignored. */
function samePrefix(a: IpAddress, b: IpAddress, bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const remaining = bits - i * 8;
    const mask = remaining >= 8 ? 0xff : (0xff << (8 - remaining)) & 0xff;
    if ((((a[i] ?? 0) ^ (b[i] ?? 0)) & mask) !== 0) return false;
  }
  return true;
}
