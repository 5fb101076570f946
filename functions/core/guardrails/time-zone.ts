import type { Profile } from "../customer-state.ts";
import { isValidTimeZone, offsetMs } from "../time/local-time.ts";
import { countryZones, phoneRegion } from "./phone-time-zones.ts";

export interface ResolvedTimeZone {
  /**
   * The zone local times are scheduled in ("10:00 on day 2"): the customer's, or — when only estimated —
   * the westernmost zone they may be in, whose 10:00 comes last.
   */
  zone: string;
  /** Every zone the customer may be in: a message waits until quiet hours are over in all of them. */
  zones: readonly string[];
  source: "profile" | "phone" | "locale" | "default";
  /** The customer's country, when the phone number or the locale tells. */
  country?: string;
  /** How the zone was found, for the why; absent when the profile gave it. */
  estimate?: string;
}

/** Offsets compared at one fixed instant, so the same zones always sort the same way. */
const REFERENCE = new Date(Date.UTC(2026, 0, 15, 12));

/**
 * The profile's zone; else where the phone number rings (its country, or in North America its area code);
 * else the locale's region; else the catalog's default — never a guess that fails open: when the digits or
 * the locale allow several zones, all of them are kept (`zones`) and quiet hours hold in every one.
 */
export function resolveTimeZone(
  profile: Pick<Profile, "timeZone" | "locale" | "phone">,
  defaultZone = "UTC",
): ResolvedTimeZone {
  const phone = phoneRegion(profile.phone);
  const localeRegion = profile.locale ? regionOf(profile.locale) : undefined;
  const country = phone?.country ?? localeRegion;
  const withCountry = <T extends object>(resolved: T) => (country ? { ...resolved, country } : resolved);
  if (profile.timeZone && isValidTimeZone(profile.timeZone))
    return withCountry({ zone: profile.timeZone, zones: [profile.timeZone], source: "profile" as const });
  if (phone) {
    const zones = westFirst(phone.zones);
    return withCountry({
      zone: zones[0]!,
      zones,
      source: "phone" as const,
      estimate: `no time zone on file: ${describeZones(zones)}, from the phone number's ${phone.label}`,
    });
  }
  const fromLocale = localeRegion ? countryZones(localeRegion) : undefined;
  if (fromLocale) {
    const zones = westFirst(fromLocale);
    return withCountry({
      zone: zones[0]!,
      zones,
      source: "locale" as const,
      estimate: `no time zone or known phone number on file: ${describeZones(zones)}, usual for locale ${profile.locale}`,
    });
  }
  return withCountry({
    zone: defaultZone,
    zones: [defaultZone],
    source: "default" as const,
    estimate: `no time zone, known phone number or locale on file: using the catalog's default ${defaultZone}`,
  });
}

function westFirst(zones: readonly string[]): string[] {
  return zones
    .filter(isValidTimeZone)
    .sort((a, b) => offsetMs(REFERENCE, a) - offsetMs(REFERENCE, b) || a.localeCompare(b));
}

function describeZones(zones: readonly string[]): string {
  return zones.length === 1
    ? `using ${zones[0]}`
    : `one of ${zones.join(", ")} (quiet hours are kept in all of them; local times use ${zones[0]})`;
}

function regionOf(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
}
