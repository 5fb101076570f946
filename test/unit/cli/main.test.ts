import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, REPO_ROOT, runCli } from "./run-cli.ts";

describe("waymark", () => {
  it.each([["--help"], ["-h"], ["help"]])("%s prints the commands, exit 0", async (flag) => {
    const { code, stdout, stderr } = await runCli([flag]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: waymark <command> \[options\]\n/);
    expect(stdout).toMatch(
      /\n {2}simulate <journey> --events <file\.jsonl> \[--catalog <file>\] +dry-run one journey/,
    );
    expect(stdout).toMatch(
      /\n {2}send <file\.json\|file\.jsonl> \[--catalog <file>\] +put events on the Waymark bus/,
    );
    expect(stdout).toMatch(
      /\n {2}start \[--catalog <file>\] \[--port <port>\] \[--data <dir>\] +run all of Waymark/,
    );
    expect(stdout).toMatch(/\n {2}init <dir> \[--waymark <npm spec>\] +scaffold a project/);
  });

  it.each([
    ["simulate", "Usage: waymark simulate <journey> --events <file.jsonl>"],
    ["send", "Usage: waymark send <file.json|file.jsonl>"],
  ])("%s --help (and help %s) prints that command's help, exit 0", async (command, usage) => {
    for (const argv of [
      [command, "--help"],
      [command, "-h"],
      ["help", command],
      [command, "--bogus", "--help"],
    ]) {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout.startsWith(`${usage}`)).toBe(true);
      expect(stdout).toContain("Exit status:");
    }
  });

  it("rejects an unknown command with the list of commands, exit 2", async () => {
    const { code, stdout, stderr } = await runCli(["simualte", "post-purchase"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'waymark: unknown command "simualte" (did you mean simulate?) — commands: start, init, simulate, report, import, send\n' +
        'Run "waymark --help" for usage.\n',
    );
    expect((await runCli(["deploy"])).stderr).toContain(
      'unknown command "deploy" — commands: start, init, simulate, report, import, send',
    );
    expect((await runCli(["help", "deploy"])).code).toBe(2);
  });

  it("prints the help to stderr and exits 2 without a command", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Usage: waymark/);
  });

  it("asks for a command before options", async () => {
    const { code, stderr } = await runCli(["--events", "x.jsonl"]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "unknown option --events — put a command first: start, init, simulate, report, import, send",
    );
  });
});

describe("bin/waymark.ts as a process", () => {
  const waymark = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/waymark.ts"), ...args], {
      cwd: FIXTURES,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 30_000,
    });

  it("runs --help with Node and exits 0", () => {
    const result = waymark("--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: waymark <command>/);
  });

  it("prints the same simulation as main() and sets the exit status", async () => {
    const result = waymark("simulate", "post-purchase", "--events", "post-purchase-seoul.jsonl");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      (await runCli(["simulate", "post-purchase", "--events", "post-purchase-seoul.jsonl"])).stdout,
    );
    expect(waymark("simulate", "nope", "--events", "post-purchase-seoul.jsonl").status).toBe(2);
  });
});
