/**
 * The console is for the local runtime only: none of its code (console/, infra/local/) and none of its packages
 * may end up in a Lambda function. Every function is bundled as the stack bundles it and its inputs are read.
 */
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { functionEntries } from "../../bench/bundles.ts";
import {
  CREDENTIAL_CHAIN_MODULE,
  LAMBDA_CREDENTIALS_MODULE,
} from "../../infra/constructs/waymark-function.ts";

describe("the Lambda bundles", () => {
  it("hold nothing of the console", async () => {
    const result = await build({
      entryPoints: Object.values(functionEntries),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      mainFields: ["module", "main"],
      alias: { [CREDENTIAL_CHAIN_MODULE]: LAMBDA_CREDENTIALS_MODULE },
      outdir: "lambda-out",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes("functions/handlers/engine-handler"))).toBe(true);
    const console = inputs.filter((input) =>
      /(^|\/)console\/|(^|\/)infra\/local\/|node_modules\/(preact|htm|@dagrejs|playwright-core)\//.test(
        input,
      ),
    );
    expect(console).toEqual([]);
  });
});
