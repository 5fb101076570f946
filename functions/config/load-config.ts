import * as z from "zod";
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
