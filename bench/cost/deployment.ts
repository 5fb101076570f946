import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../../infra/build-app.ts";
import type { Deployment } from "./model.ts";

/** Which function a Lambda resource is, by the description the stack gives it. */
const FUNCTIONS: [fn: string, description: RegExp][] = [
  ["ingest", /^Waymark ingest/],
  ["engine", /^Waymark journey engine/],
  ["notifier", /^Waymark notifier/],
  ["fan-out", /^Waymark fan-out/],
];

/**
 * The deployment the model prices: memory sizes, tracing and the archive's retention as the stack
 * synthesizes them (no AWS account needed), so the model follows the infrastructure when it changes.
 */
export function synthesizedDeployment(): Deployment {
  const outdir = mkdtempSync(join(tmpdir(), "waymark-cost-"));
  try {
    // No bundling: the template says all the model needs.
    const built = buildApp({
      app: { outdir, context: { "aws:cdk:bundling-stacks": [] } },
      env: {},
      nag: false,
    });
    const runtime = Template.fromStack(built.runtime).findResources("AWS::Lambda::Function");
    const memoryMb: Record<string, number> = {};
    let tracing = false;
    for (const resource of Object.values(runtime)) {
      const props = resource.Properties as {
        Description?: string;
        MemorySize?: number;
        TracingConfig?: { Mode?: string };
      };
      const match = FUNCTIONS.find(([, pattern]) => pattern.test(props.Description ?? ""));
      if (!match) continue;
      memoryMb[match[0]] = props.MemorySize ?? 128;
      if (match[0] === "engine") tracing = props.TracingConfig?.Mode === "Active";
    }
    const archives = Object.values(Template.fromStack(built.state).findResources("AWS::Events::Archive"));
    const retention = (archives[0]?.Properties as { RetentionDays?: number } | undefined)?.RetentionDays ?? 0;
    for (const [fn] of FUNCTIONS)
      if (memoryMb[fn] === undefined) throw new Error(`the synthesized stack has no ${fn} function`);
    return { memoryMb, tracing, archiveRetentionDays: retention };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
