// Generates packages/api/src/<module>.gen.ts from packages/api/openapi/<module>.json with
// openapi-typescript. `--check` writes nothing and fails when a committed file differs from
// what would be generated (make web-check runs it).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "packages", "api");
const check = process.argv.includes("--check");
let stale = [];

for (const file of (await readdir(path.join(dir, "openapi"))).filter((f) => f.endsWith(".json")).sort()) {
  const module = file.replace(/\.json$/, "");
  const doc = JSON.parse(await readFile(path.join(dir, "openapi", file), "utf8"));
  const ast = await openapiTS(doc, { exportType: true, alphabetize: true });
  const out = `// Generated from openapi/${file} by scripts/api-types.mjs (npm run api-types). Do not edit.\n\n${astToString(ast)}`;
  const target = path.join(dir, "src", `${module}.gen.ts`);
  const current = await readFile(target, "utf8").catch(() => "");
  if (current === out) continue;
  if (check) stale.push(path.relative(process.cwd(), target));
  else {
    await writeFile(target, out);
    console.log(`api-types: wrote ${path.relative(process.cwd(), target)}`);
  }
}
if (stale.length) {
  console.error(`api-types: ${stale.join(", ")} differ from the OpenAPI documents; run make web-types and commit`);
  process.exit(1);
}
