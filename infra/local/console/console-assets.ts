/**
 * The console's page and its bundle, with the headers that keep a page showing attacker-controlled event
 * fields safe: a Content-Security-Policy that runs only this origin's script (no inline script, no eval),
 * `nosniff`, no framing, no referrer.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildConsole, type ConsoleFiles } from "./build-console.ts";

/** Where `npm run build` puts the bundle, beside this module in dist/. */
export const PREBUILT_ASSETS = fileURLToPath(new URL("./assets/", import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waymark console</title>
<link rel="icon" href="/console/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/app.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<div id="app"><noscript>The Waymark console needs JavaScript.</noscript></div>
</body>
</html>
`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M7 10l4 13 5-9 5 9 4-13" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const TYPES: Record<string, string> = {
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

let bundle: Promise<ConsoleFiles> | undefined;

/** The prebuilt bundle when there is one (the package), else one built from the source (the repository). */
export function consoleFiles(): Promise<ConsoleFiles> {
  bundle ??= (existsSync(PREBUILT_ASSETS) ? readPrebuilt() : buildConsole()).catch((error: unknown) => {
    bundle = undefined; // a fixed source builds on the next request
    throw error;
  });
  return bundle;
}

async function readPrebuilt(): Promise<ConsoleFiles> {
  return new Map(
    readdirSync(PREBUILT_ASSETS).map((name) => [name, readFileSync(join(PREBUILT_ASSETS, name))]),
  );
}

/** Answers `GET /` and `GET /console/*`; false when the path is not the console's. */
export async function serveConsoleAsset(pathname: string, response: ServerResponse): Promise<boolean> {
  if (pathname === "/" || pathname === "/index.html") {
    respond(response, 200, "text/html; charset=utf-8", PAGE);
    return true;
  }
  if (pathname === "/console/icon.svg") {
    respond(response, 200, "image/svg+xml", ICON);
    return true;
  }
  const name = /^\/console\/([a-z]+\.(?:js|css))$/.exec(pathname)?.[1];
  if (!name || !TYPES[name]) return false;
  const file = (await consoleFiles()).get(name);
  if (!file) return false;
  respond(response, 200, TYPES[name], file);
  return true;
}

function respond(response: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  response.writeHead(status, {
    "content-type": type,
    "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    // The runtime serves whatever bundle it has; a reload must pick up a rebuilt one.
    "cache-control": "no-cache",
  });
  response.end(body);
}
