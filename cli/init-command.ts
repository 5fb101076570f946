/**
 * `waymark init <dir>`: a project a team can start from — a catalog with one small journey (a cart
 * reminder on a custom `CartAbandoned` event), its templates, a test on virtual time, and a CDK app —
 * with `npm start`, `npm test`, `npm run synth` and `npm run deploy`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandArgs } from "./args.ts";
import { CliError, type CliIo, EXIT } from "./io.ts";
import { projectFiles } from "./project-template.ts";

export const help = `Usage: waymark init <dir> [--waymark <npm spec>]

Creates <dir> (which must be empty or new) with a Waymark project: waymark.config.ts (the catalog), a
cart-reminder journey on a custom CartAbandoned event, its templates in en-US and ko-KR, a vitest test
that runs the journey on virtual time, and a CDK app that deploys it. Then:

  cd <dir> && npm install && npm test     the journey's test
  npm start                               the whole system locally on http://127.0.0.1:4010
  npm run synth                           the CloudFormation template (no AWS account needed)

Options:
  --waymark <spec>       what package.json depends on for waymark: a version range, a tarball path or
                         file: URL (default: ^<this version>)
  -h, --help             show this help
`;

/** This package's manifest: its version and the versions of the peers the new project needs. */
function ownManifest(): {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string };
      if (manifest.name === "waymark") return manifest as ReturnType<typeof ownManifest>;
    }
    if (path.dirname(dir) === dir) throw new Error("waymark's own package.json was not found");
  }
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("waymark init", {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { waymark: { type: "string" } },
  });
  const [target, ...extra] = positionals;
  if (target === undefined)
    throw new CliError("where? name the directory to create, e.g. waymark init my-journeys");
  if (extra.length > 0) throw new CliError(`unexpected argument ${extra[0]} (waymark init --help)`);
  const dir = path.resolve(io.cwd, target);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new CliError(
      `${target} is not empty: pick a new directory, so nothing of yours is overwritten`,
      EXIT.usage,
    );
  }
  const manifest = ownManifest();
  const name =
    path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "journeys";
  const spec = values.waymark ?? `^${manifest.version}`;
  const files = projectFiles({
    name,
    waymark: spec.endsWith(".tgz") && !spec.includes(":") ? `file:${path.resolve(io.cwd, spec)}` : spec,
    versions: {
      "aws-cdk-lib": manifest.peerDependencies["aws-cdk-lib"] ?? "^2",
      constructs: manifest.peerDependencies.constructs ?? "^10",
      zod: manifest.peerDependencies.zod ?? "^4",
      "aws-cdk": manifest.devDependencies["aws-cdk"] ?? "^2",
      vitest: manifest.devDependencies.vitest ?? "^4",
    },
  });
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(dir, file);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  io.stdout.write(
    `Created ${target}/ with ${Object.keys(files).length} files: a catalog (waymark.config.ts), the cart-reminder ` +
      "journey, its test and a CDK app.\n\n" +
      `  cd ${target}\n  npm install\n  npm test          the journey on virtual time\n` +
      "  npm start         all of Waymark locally\n  npm run synth     the CloudFormation template\n",
  );
  return EXIT.ok;
}
