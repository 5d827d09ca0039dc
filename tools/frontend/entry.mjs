// The Bootstrap Italia components the public pages use (tools/frontend/build.mjs bundles them).
// Importing a plugin registers its data attributes (data-bs-toggle="navbarcollapsible" / "collapse").
import "bootstrap-italia/dist/plugins/navbar-collapsible.js";
import "bootstrap-italia/dist/plugins/collapse.js";
