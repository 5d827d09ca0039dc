// Builds the two Bootstrap Italia files the public pages load, from the npm package pinned in
// package-lock.json (the same 2.18.0 that design-django-theme ships):
//
//   static/labimpact/css/bootstrap-italia.trimmed.min.css  only the rules our markup can match
//   static/labimpact/js/bootstrap-italia.trimmed.min.js    only the components our markup uses
//
// Run after changing templates, a form widget's classes or a script that sets classes:
//   cd tools/frontend && npm ci && npm run build
// The built files are committed; `make run` and `make test` never need node.
// tests/test_weight.py fails when a template uses a library class the trimmed CSS lacks.
import { build } from "esbuild";
import { PurgeCSS } from "purgecss";
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const library = join(here, "node_modules", "bootstrap-italia");
const version = JSON.parse(readFileSync(join(library, "package.json"), "utf8")).version;

// Everything that can put a class on a public page: templates (project and apps), our own
// scripts, and Python (form widgets' attrs, template tags, views choosing a class).
const skip = new Set([".venv", "node_modules", ".git", "staticfiles", "media", "tests", "tools", "locale"]);
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name) || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(html|py|js)$/.test(name) && !/\.min\.js$/.test(name)) out.push(path);
  }
  return out;
}
// Extra folders to scan as well (e.g. another branch's worktree before a merge):
//   npm run build -- /path/to/other/checkout
const content = [root, ...process.argv.slice(2)].flatMap((dir) => walk(dir));

// Classes the library's scripts add at run time, and the components the header, menu and
// rating use (static/labimpact/BOOTSTRAP_ITALIA_COMPONENTS.md): kept whole even when a
// template does not spell every state out.
const safelist = {
  standard: [
    /^(show|showing|hiding|collapsing|collapsed|expanded|active|disabled|focus--mouse|focus--keyboard)$/,
    /^(navbar|navbar-expand-lg|navbar-collapsable|navbar-nav|custom-navbar-toggler|nav-item|nav-link)$/,
    /^(close-div|close-menu|menu-wrapper|overlay|btn-close|icon|icon-sm|icon-white|icon-primary)$/,
  ],
  deep: [/^it-header/, /^it-nav/, /^it-brand/, /^it-footer/, /^rating/],
};

const cssSource = join(library, "dist", "css", "bootstrap-italia.min.css");
const [purged] = await new PurgeCSS().purge({
  content,
  css: [cssSource],
  safelist,
  keyframes: true,
  // Only @font-face rules our CSS names (the library's VideoJS icon font is 7 KB of base64).
  fontFace: true,
  // Set by the library's focus tracking; our rating's focus ring rule names it in :not().
  dynamicAttributes: ["data-focus-mouse"],
  // A class written inside a Django tag ("{% if x %}is-open{% endif %}") is still a word.
  defaultExtractor: (text) => text.match(/[A-Za-z0-9_-]+/g) || [],
});
const cssHeader = `/*! Bootstrap Italia ${version} (BSD-3-Clause, https://italia.github.io/bootstrap-italia/), trimmed to the
 * classes Lab'Impact's templates, scripts and forms use. Generated — do not edit:
 * cd tools/frontend && npm ci && npm run build  (tools/frontend/build.mjs) */\n`;
const cssOut = join(root, "static", "labimpact", "css", "bootstrap-italia.trimmed.min.css");
// The library's file starts with a byte-order mark; one mid-file would be an invalid token.
writeFileSync(cssOut, cssHeader + purged.css.replace(/^\uFEFF/, ""));

// The navbar's collapsible menu on phones (and plain collapse for accordions): the library's
// own ES modules, bundled; everything else in the 1 MB bundle (carousels, date pickers,
// masonry, the font loader that injects an inline style the CSP forbids) stays out.
const jsOut = join(root, "static", "labimpact", "js", "bootstrap-italia.trimmed.min.js");
await build({
  entryPoints: [join(here, "entry.mjs")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "none",
  // The package marks its plugins side-effect free, but importing one is how it registers its data API.
  ignoreAnnotations: true,
  banner: {
    js: `/*! Bootstrap Italia ${version} (BSD-3-Clause): navbar-collapsible and collapse only. Generated — do not edit:\n * cd tools/frontend && npm ci && npm run build  (tools/frontend/build.mjs) */`,
  },
  outfile: jsOut,
});

for (const out of [cssOut, jsOut]) {
  console.log(`${relative(root, out)}: ${statSync(out).size} bytes`);
}
console.log(`scanned ${content.length} files`);
