/**
 * A build step (Vite plugin): beside every text file of the build, `x.br` and `x.gz`, written once
 * at the highest levels, so the server sends compressed bytes without compressing per request.
 * A copy is kept only when it is smaller than the file itself.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { ENCODINGS, type Encoding, isCompressible, isVariant, listFiles } from './encoding.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const COMPRESS: Record<Encoding, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  gzip: (data) => gz(data, { level: constants.Z_BEST_COMPRESSION }),
};
const SUFFIX = Object.fromEntries(ENCODINGS) as Record<Encoding, string>;

export interface PrecompressedFile {
  path: string;
  bytes: number;
  /** Sizes of the copies written; an encoding is missing when it would not have been smaller. */
  encoded: Partial<Record<Encoding, number>>;
}

/** Writes the compressed copies for every compressible file under `dir`. */
export async function precompressDir(dir: string): Promise<PrecompressedFile[]> {
  const files = (await listFiles(dir)).filter((f) => isCompressible(f) && !isVariant(f));
  return Promise.all(
    files.map(async (path) => {
      const data = await readFile(join(dir, path));
      const encoded: PrecompressedFile['encoded'] = {};
      for (const encoding of Object.keys(COMPRESS) as Encoding[]) {
        const packed = await COMPRESS[encoding](data);
        if (packed.length >= data.length) continue;
        await writeFile(join(dir, path + SUFFIX[encoding]), packed);
        encoded[encoding] = packed.length;
      }
      return { path, bytes: data.length, encoded };
    }),
  );
}

export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'pandadoc-oauth-debugger:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
