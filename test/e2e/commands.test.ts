import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

function run(args: string[], until?: string) {
  return new Promise<{ code: number | null; output: string; readyMs?: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let readyMs: number | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until && readyMs === undefined && output.includes(until)) {
        readyMs = performance.now() - started;
        child.kill("SIGINT");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output, ...(readyMs !== undefined ? { readyMs } : {}) }));
  });
}

describe("the commands a newcomer runs", () => {
  it("npm start prints the URL it listens on and stops cleanly on Ctrl-C", async () => {
    const result = await run(["infra/local/start.ts", "--port", "0"], "is running on");
    expect(result.output).toMatch(/Waymark is running on http:\/\/127\.0\.0\.1:\d+ \(in memory/);
    expect(result.output).toContain("stopping");
    expect(result.code).toBe(0);
  });

  it("npm start refuses a bad port with a message that says what to do", async () => {
    const result = await run(["infra/local/start.ts", "--port", "ninety"]);
    expect(result.code).toBe(2);
    expect(result.output).toContain("pass a number from 0 to 65535");
  });

  it("npm run demo tells every story and exits 0", async () => {
    const result = await run(["infra/local/demo.ts"]);
    expect(result.output).toContain("Every part of the story happened");
    expect(result.output).not.toMatch(/\+821012345678|\+12125550123/); // contact points are masked
    expect(result.code).toBe(0);
  });
});
