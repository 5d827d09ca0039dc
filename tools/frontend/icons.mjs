// Renders the web app manifest's PNG icons from static/labimpact/img/app-icon.svg:
//   cd tools/frontend && npm ci && npm run icons
// The PNGs are committed; the mark sits inside the maskable safe zone (the central 80 %),
// so the same drawing serves as the "any" and the "maskable" icon.
import { Resvg } from "@resvg/resvg-js";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const img = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "static", "labimpact", "img");
const svg = readFileSync(join(img, "app-icon.svg"));
for (const size of [192, 512]) {
  const png = new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng();
  writeFileSync(join(img, `app-icon-${size}.png`), png);
  console.log(`app-icon-${size}.png: ${png.length} bytes`);
}
