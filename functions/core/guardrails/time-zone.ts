import type { Profile } from "../customer-state.ts";
import { isValidTimeZone } from "../time/local-time.ts";

/** The usual zone of a locale's region, for customers who told us a locale but no zone. */
const zoneByRegion: Record<string, string> = {
  KR: "Asia/Seoul",
  US: "America/New_York",
  JP: "Asia/Tokyo",
  GB: "Europe/London",
  DE: "Europe/Berlin",
  FR: "Europe/Paris",
  CA: "America/Toronto",
  AU: "Australia/Sydney",
  SG: "Asia/Singapore",
  TW: "Asia/Taipei",
  CN: "Asia/Shanghai",
  IN: "Asia/Kolkata",
};

export interface ResolvedTimeZone {
  zone: string;
  source: "profile" | "locale" | "default";
}

/** The profile's zone, else the locale's usual one, else UTC — never a guess that fails open. */
export function resolveTimeZone(profile: Pick<Profile, "timeZone" | "locale">): ResolvedTimeZone {
  if (profile.timeZone && isValidTimeZone(profile.timeZone))
    return { zone: profile.timeZone, source: "profile" };
  const region = profile.locale ? regionOf(profile.locale) : undefined;
  const zone = region ? zoneByRegion[region] : undefined;
  if (zone) return { zone, source: "locale" };
  return { zone: "UTC", source: "default" };
}

function regionOf(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
}
