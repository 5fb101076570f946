#!/usr/bin/env node
/**
 * Entry point of the `waymark` command. Everything lives in cli/; this file only connects it to the
 * process. Run it with Node.js 24, which runs TypeScript directly: `node bin/waymark.ts --help` (the
 * installed package runs the compiled `dist/bin/waymark.js`).
 *
 * Static imports are evaluated before this module's body, so the only one is the version guard; the CLI
 * (and through it zod, the AWS SDK…) is loaded with a dynamic import once the guard has passed. This file
 * keeps to syntax old Node.js versions parse, for the same reason as `node-version.ts`.
 */
import { nodeVersionProblem } from "./node-version.ts";

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

// `waymark simulate … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

import("../cli/main.ts")
  .then(({ main }) =>
    main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
    }),
  )
  .then((code) => {
    // exitCode rather than exit(): pending output to a pipe is flushed before the process ends.
    process.exitCode = code;
  });
