// Bundles the console: src/main.js (with hls.js and the SigV4 signer) into one minified script,
// src/dash-lib.js (dash.js, loaded only when DASH is chosen) into another, src/app.css beside
// them, all named by content hash so they can be cached for a year; index.html (never cached) is
// rewritten to name them. Usage: node build.mjs [OUTDIR] (default dist/).
import * as esbuild from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const outdir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "dist"));
process.chdir(dirname(fileURLToPath(import.meta.url))); // sources are relative to this file
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await esbuild.build({
  entryPoints: ["src/main.js", "src/dash-lib.js", "src/app.css"],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  entryNames: "[name]-[hash]",
  outdir,
  metafile: true,
  logLevel: "warning",
});

const names = {};
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (out.entryPoint) names[basename(out.entryPoint)] = basename(file);
}
const html = readFileSync("src/index.html", "utf8")
  .replace("{{app.js}}", names["main.js"])
  .replace("{{app.css}}", names["app.css"])
  .replace("{{dash.js}}", names["dash-lib.js"]);
writeFileSync(join(outdir, "index.html"), html);
console.log(`console: ${names["main.js"]}, ${names["dash-lib.js"]}, ${names["app.css"]} -> ${outdir}`);
