// Copy the third-party front-end files we use from node_modules into static_build/vendor/.
// Third-party code is never committed; this runs in `make install`.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const out = join(root, "static_build", "vendor");
rmSync(out, { recursive: true, force: true });

function pick(pkg, candidates, target) {
  const base = join(root, "node_modules", pkg);
  const found = candidates.map((c) => join(base, c)).find((p) => existsSync(p));
  if (!found) {
    console.error(`build_assets: none of ${candidates.join(", ")} found in ${pkg}`);
    console.error(`available: ${readdirSync(base).join(", ")}`);
    process.exit(1);
  }
  mkdirSync(dirname(join(out, target)), { recursive: true });
  cpSync(found, join(out, target));
  console.log(`build_assets: ${pkg}/${found.slice(base.length + 1)} -> static_build/vendor/${target}`);
}

pick("htmx.org", ["dist/htmx.min.js"], "htmx/htmx.min.js");
pick("chart.js", ["dist/chart.umd.min.js", "dist/chart.umd.js"], "chartjs/chart.umd.min.js");
pick("@digital-go-jp/design-tokens", ["dist/tokens.css", "dist/index.css", "tokens.css"], "design-tokens/tokens.css");
