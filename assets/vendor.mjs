// Vendor the front-end libraries and the offline basemap into the web app's
// static directory, so the app needs no internet access at run time.
//
// Usage:  cd assets && npm ci && node vendor.mjs
//
// Deterministic: the output depends only on the pinned packages in
// package-lock.json, so running it twice gives byte-identical files.

import { createHash } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const ASSETS = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(ASSETS);
const MODULES = join(ASSETS, "node_modules");
const STATIC = join(REPO, "src", "joinedup", "web", "static");
const VENDOR = join(STATIC, "vendor");
const BASEMAP_DIR = join(STATIC, "basemap");
const BASEMAP = join(BASEMAP_DIR, "countries.geojson");

// Countries kept in the basemap, by their `name` property in
// world-atlas/countries-10m.json (Natural Earth admin 0, short names).
const COUNTRIES = [
  "United Kingdom",
  "Ireland",
  "France",
  "Belgium",
  "Netherlands",
  "Syria",
  "Turkey",
  "Lebanon",
  "Jordan",
  "Iraq",
  "Israel",
  "Palestine",
];
const DECIMALS = 3;

const pkg = (name) =>
  JSON.parse(readFileSync(join(MODULES, name, "package.json"), "utf8"));

const written = [];
function copy(src, dest) {
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(join(MODULES, src), dest);
  written.push(dest);
}
function write(dest, text) {
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, text);
  written.push(dest);
}

// ---------------------------------------------------------------- libraries

// Start from an empty vendor directory so no stale files survive.
rmSync(VENDOR, { recursive: true, force: true });
mkdirSync(VENDOR, { recursive: true });

copy("htmx.org/dist/htmx.min.js", join(VENDOR, "htmx.min.js"));
copy("htmx.org/LICENSE", join(VENDOR, "htmx.LICENSE.txt"));

copy("cytoscape/dist/cytoscape.min.js", join(VENDOR, "cytoscape.min.js"));
copy("cytoscape/LICENSE", join(VENDOR, "cytoscape.LICENSE.txt"));

copy("leaflet/dist/leaflet.js", join(VENDOR, "leaflet", "leaflet.js"));
copy("leaflet/dist/leaflet.css", join(VENDOR, "leaflet", "leaflet.css"));
for (const img of readdirSync(join(MODULES, "leaflet/dist/images")).sort()) {
  copy(`leaflet/dist/images/${img}`, join(VENDOR, "leaflet", "images", img));
}
copy("leaflet/LICENSE", join(VENDOR, "leaflet.LICENSE.txt"));

copy("world-atlas/LICENSE", join(VENDOR, "world-atlas.LICENSE.txt"));

// ---------------------------------------------------------------- basemap

const round = (x) => {
  const f = 10 ** DECIMALS;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no -0
};

// Round a ring/line, dropping consecutive duplicate points created by rounding.
function roundLine(coords, closed) {
  const out = [];
  for (const [x, y] of coords) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (closed) {
    const [a, b] = [out[0], out[out.length - 1]];
    if (a[0] !== b[0] || a[1] !== b[1]) out.push([a[0], a[1]]);
    if (out.length < 4) return null; // collapsed ring
  }
  return out;
}

function roundPolygon(rings) {
  const out = [];
  for (let i = 0; i < rings.length; i++) {
    const r = roundLine(rings[i], true);
    if (r) out.push(r);
    else if (i === 0) return null; // outer ring collapsed: drop polygon
  }
  return out;
}

function roundGeometry(g) {
  if (g.type === "Polygon") {
    const p = roundPolygon(g.coordinates);
    return p && { type: "Polygon", coordinates: p };
  }
  if (g.type === "MultiPolygon") {
    const ps = g.coordinates.map(roundPolygon).filter(Boolean);
    if (ps.length === 0) return null;
    return ps.length === 1
      ? { type: "Polygon", coordinates: ps[0] }
      : { type: "MultiPolygon", coordinates: ps };
  }
  throw new Error(`unexpected geometry type ${g.type}`);
}

const topo = JSON.parse(
  readFileSync(join(MODULES, "world-atlas/countries-10m.json"), "utf8"),
);
const all = feature(topo, topo.objects.countries).features;
const features = [];
for (const name of COUNTRIES) {
  const matches = all.filter((f) => f.properties.name === name);
  if (matches.length !== 1) {
    throw new Error(`expected 1 feature named ${name}, found ${matches.length}`);
  }
  const geometry = roundGeometry(matches[0].geometry);
  if (!geometry) throw new Error(`${name}: geometry collapsed when rounding`);
  features.push({ type: "Feature", properties: { name }, geometry });
}

// One feature per line: compact, yet diffable.
write(
  BASEMAP,
  '{"type":"FeatureCollection","features":[\n' +
    features.map((f) => JSON.stringify(f)).join(",\n") +
    "\n]}\n",
);

// ---------------------------------------------------------------- README

const h = pkg("htmx.org");
const c = pkg("cytoscape");
const l = pkg("leaflet");
const w = pkg("world-atlas");
const t = pkg("topojson-client");

const rows = [
  ["htmx", h, "`htmx.min.js`, `htmx.LICENSE.txt`"],
  ["Cytoscape.js", c, "`cytoscape.min.js`, `cytoscape.LICENSE.txt`"],
  [
    "Leaflet",
    l,
    "`leaflet/leaflet.js`, `leaflet/leaflet.css`, `leaflet/images/*`, `leaflet.LICENSE.txt`",
  ],
];

const rel = (p) => relative(VENDOR, p).split("\\").join("/");
const sha256 = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");

const readme = `# Vendored front-end assets

Generated by \`assets/vendor.mjs\`; do not edit by hand. Everything the web
app loads in the browser is served from here, so it works with no internet
access at run time.

| Library / data set | Version | Licence | Source (npm package) | Files |
|---|---|---|---|---|
${rows
  .map(
    ([label, p, files]) =>
      `| ${label} | ${p.version} | ${p.license} | \`${p.name}@${p.version}\` | ${files} |`,
  )
  .join("\n")}
| Basemap (\`../basemap/countries.geojson\`) | world-atlas ${w.version} | Natural Earth: public domain; world-atlas: ${w.license} | \`${w.name}@${w.version}\` | \`../basemap/countries.geojson\`, \`world-atlas.LICENSE.txt\` |

Basemap: Natural Earth 1:10m admin 0 countries, public domain, via the
world-atlas npm package (${w.license}). Built from \`world-atlas/countries-10m.json\`,
converted to GeoJSON with \`${t.name}@${t.version}\` (${t.license}; build-time
only, not shipped), keeping only these countries (Natural Earth \`name\`):
${COUNTRIES.join(", ")}. Coordinates are rounded to ${DECIMALS} decimals and each
feature keeps only a \`name\` property.

## Regenerate

\`\`\`sh
cd assets && npm ci && node vendor.mjs
\`\`\`

Versions are pinned in \`assets/package.json\` / \`assets/package-lock.json\`;
to upgrade, change the pin there, run \`npm install\`, then the command above.
The script is deterministic: the same lock file gives identical files.

## Files (SHA-256)

\`\`\`
${written
  .map((p) => `${sha256(p)}  ${rel(p)}`)
  .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
  .join("\n")}
\`\`\`
`;

const README = join(VENDOR, "README.md");
write(README, readme);

for (const p of written) {
  console.log(`${String(statSync(p).size).padStart(9)}  ${relative(REPO, p)}`);
}
