import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE_MAJOR, nodeVersionProblem } from "../../../bin/node-version.ts";
import { FIXTURES, REPO_ROOT } from "./run-cli.ts";

const message = (version: string) =>
  `waymark needs Node.js 24 or newer; this is Node.js v${version} — see .nvmrc / https://nodejs.org`;

describe("nodeVersionProblem", () => {
  it("accepts Node.js 24 and newer", () => {
    expect(MINIMUM_NODE_MAJOR).toBe(24);
    for (const version of ["24.0.0", "24.22.3", "25.1.0", "100.0.0", "v24.1.0", process.versions.node]) {
      expect(nodeVersionProblem(version)).toBeUndefined();
    }
  });

  it("names the version it found and where to get a new one", () => {
    expect(nodeVersionProblem("20.11.1")).toBe(message("20.11.1"));
    expect(nodeVersionProblem("v22.18.0")).toBe(message("22.18.0"));
    expect(nodeVersionProblem("23.99.99")).toBe(message("23.99.99"));
    expect(nodeVersionProblem("")).toBe(message(""));
  });
});

describe("bin/waymark.ts on an old Node.js", () => {
  /**
   * Runs the bin with `process.versions.node` replaced before any module of it is loaded. A module hook
   * prints `loading cli/main.ts` when the CLI proper is loaded, to show the guard runs before it.
   */
  const waymarkOn = (version: string, ...args: string[]) => {
    const preload = `
      import { registerHooks } from "node:module";
      Object.defineProperty(process, "versions", { value: { ...process.versions, node: ${JSON.stringify(version)} } });
      registerHooks({
        load(url, context, nextLoad) {
          if (url.endsWith("/cli/main.ts")) process.stdout.write("loading cli/main.ts\\n");
          return nextLoad(url, context);
        },
      });`;
    return spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(preload)}`,
        path.join(REPO_ROOT, "bin/waymark.ts"),
        ...args,
      ],
      { cwd: FIXTURES, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 30_000 },
    );
  };

  it("prints one line, no stack trace, and exits 1 before loading the CLI", () => {
    const result = waymarkOn("20.11.1", "--help");
    expect(result.stderr).toBe(`${message("20.11.1")}\n`);
    expect(result.stdout).toBe("");
    expect(result.status).toBe(1);
  });

  it("loads the CLI and runs as usual on the version it needs", () => {
    const result = waymarkOn("24.0.0", "--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^loading cli\/main\.ts\nUsage: waymark <command>/);
  });
});
