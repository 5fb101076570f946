import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** The machine's Chromium (Debian's `chromium` package); WAYMARK_CHROMIUM names another. */
export const CHROMIUM = process.env.WAYMARK_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Headless Chromium from the machine's packages, driven by playwright-core (which downloads no browser). The
 * flags keep it from reaching out: the machine has no internet and refused connections would only slow it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) or set WAYMARK_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
