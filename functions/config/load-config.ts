import * as z from "zod";
import { sendingRateSchema } from "../core/guardrails/delivery-policy.ts";
import { EnvName } from "./env-names.ts";

/** Thrown at cold start when a function is deployed without the settings it needs. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

type Key = keyof typeof EnvName;

/**
 * Reads and validates the named settings once; a function that is missing one fails at cold
 * start with the variable's name instead of half-working at the first event.
 */
export function loadConfig<const K extends Key>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Record<K, string> {
  const missing: string[] = [];
  const config = {} as Record<K, string>;
  for (const key of keys) {
    const value = z.string().min(1).safeParse(env[EnvName[key]]);
    if (value.success) config[key] = value.data;
    else missing.push(EnvName[key]);
  }
  if (missing.length > 0) {
    throw new ConfigurationError(`missing environment variable(s): ${missing.join(", ")}`);
  }
  return config;
}

/** Messages per second per channel (the catalog's `delivery.sendingRate`). */
export type SendingRate = z.infer<typeof sendingRateSchema>;

/**
 * The catalog's sending rate as the stack hands it to the notifier (`WAYMARK_SENDING_RATE`, JSON such as
 * `{"sms":20}`), checked against the catalog's own schema; absent: no pacing. A malformed value fails the cold
 * start rather than send unpaced.
 */
export function sendingRateSetting(value: string | undefined): SendingRate | undefined {
  if (value === undefined || value === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ConfigurationError(`${EnvName.sendingRate} is not JSON: ${JSON.stringify(value.slice(0, 80))}`);
  }
  const rate = sendingRateSchema.safeParse(json);
  if (!rate.success) {
    throw new ConfigurationError(
      `${EnvName.sendingRate} must map sms and email to messages per second: ${z.prettifyError(rate.error)}`,
    );
  }
  return Object.keys(rate.data).length > 0 ? rate.data : undefined;
}
