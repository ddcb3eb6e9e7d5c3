// Trunk post-build hook: write maximum-quality .br and .gz siblings of every text/wasm asset,
// so the relay serves compressed files without compressing anything per request.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('usage: precompress.mjs DIR (or run as a Trunk hook)');
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js|css|html|svg|json)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  writeFileSync(join(dir, name + '.br'), brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }));
  writeFileSync(join(dir, name + '.gz'), gzipSync(raw, { level: 9 }));
}
