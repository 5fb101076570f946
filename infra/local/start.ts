/**
 * `npm start`: `waymark start` on this repository's catalog (waymark.config.ts, the reference journeys).
 *
 *   npm start                      in memory, on http://127.0.0.1:4010 (WAYMARK_PORT to change)
 *   npm start -- --data .waymark   keep state on disk; it survives a restart
 */
import { main } from "../../cli/main.ts";

process.exitCode = await main(["start", ...process.argv.slice(2)], {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// The runtime's handles (HTTP server, dynalite) are closed by now; exit without waiting on stray timers.
process.exit();
