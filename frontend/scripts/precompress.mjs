// Writes `name.br` (Brotli, quality 11) and `name.gz` (gzip, level 9) beside each script,
// stylesheet and SVG in dist/assets, which the server sends to browsers that accept them
// (crates/api/src/http/assets.rs). Compressing on the fly costs the server work on every request and
// uses gzip level 1, about 17 % larger: seconds on a 256 kbit/s link. Node's own zlib does the work.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const assets = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "assets");
const COMPRESSIBLE = /\.(js|css|svg|json)$/;
// Below this a file fits in a packet or two either way.
const MIN_BYTES = 1024;

let files = 0;
let plain = 0;
let brotli = 0;
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const data = readFileSync(join(assets, name));
  if (data.length < MIN_BYTES) continue;
  const gz = gzipSync(data, { level: 9 });
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  // A copy no smaller than the file would only cost disk space.
  if (gz.length < data.length) writeFileSync(join(assets, `${name}.gz`), gz);
  if (br.length < data.length) writeFileSync(join(assets, `${name}.br`), br);
  files += 1;
  plain += data.length;
  brotli += Math.min(br.length, data.length);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`precompress: ${files} assets, ${kb(plain)} → ${kb(brotli)} Brotli (and gzip -9 beside)`);
