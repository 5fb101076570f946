#!/usr/bin/env node
/**
 * Entry point of the `waymark` command. Everything lives in cli/; this file only connects it to the
 * process. Run it with Node.js 24, which runs TypeScript directly: `node bin/waymark.ts --help`.
 */
import { main } from "../cli/main.ts";

// `waymark simulate … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// exitCode rather than exit(): pending output to a pipe is flushed before the process ends.
process.exitCode = code;
