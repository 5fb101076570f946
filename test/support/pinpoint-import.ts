/**
 * An imported Pinpoint journey as a team's project holds it: the module `waymark import pinpoint` wrote and
 * a catalog (waymark.config.ts) that includes it, in a directory of its own.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../cli/main.ts";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Imports `fixture` (under test/fixtures/pinpoint) into `dir` (created; the modules import Waymark from the
 * repository's sources by a relative path, as a project inside the repository would) and writes its catalog:
 * the journey's bundle with Korean advertising settings. Returns the catalog file.
 */
export async function importedProject(
  fixture: string,
  dir: string,
  journey: { id: string; exportName: string },
): Promise<string> {
  const { exportName } = journey;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let stderr = "";
  const code = await main(
    [
      "import",
      "pinpoint",
      path.join(REPO, "test/fixtures/pinpoint", fixture),
      "--out",
      dir,
      "--waymark",
      path.join(REPO, "api/index.ts"),
    ],
    {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      env: {},
      cwd: REPO,
    },
  );
  if (code !== 0) throw new Error(`import failed (${code}): ${stderr}`);
  const api = path.relative(dir, path.join(REPO, "api/index.ts")).split(path.sep).join("/");
  const file = path.join(dir, "waymark.config.ts");
  writeFileSync(
    file,
    [
      `import { defineCatalog } from "${api}";`,
      `import { ${exportName} } from "./${journey.id}.ts";`,
      "",
      "export default defineCatalog({",
      `  ...${exportName},`,
      `  delivery: { ...${exportName}.delivery, advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" } },`,
      "});",
      "",
    ].join("\n"),
  );
  return file;
}
