// Write maximum-quality .br and .gz siblings of every text and wasm file under a directory, so
// the relay (or any static server that looks for them) never compresses per request.
//
//   node scripts/precompress.mjs dist
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: precompress.mjs DIR');
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(wasm|js|css|html|svg|json)$/.test(entry.name)) continue;
  const path = join(entry.parentPath, entry.name);
  const raw = readFileSync(path);
  writeFileSync(path + '.br', brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }));
  writeFileSync(path + '.gz', gzipSync(raw, { level: 9 }));
}
