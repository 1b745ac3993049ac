// Small images made in memory for upload tests: valid PNGs (zlib + CRC32, no image library needed).
import crypto from 'node:crypto';
import zlib from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * An RGB PNG of width × height: one colour, or random pixels (`noise`, which do not compress, to make a file of
 * a given size: about 3 × width × height bytes).
 */
export function pngImage(width: number, height: number, options: { rgb?: [number, number, number]; noise?: boolean } = {}): Buffer {
  const [r, g, b] = options.rgb ?? [0, 106, 78];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = options.noise ? crypto.randomBytes(width * 3) : Buffer.alloc(width * 3);
    if (!options.noise) for (let x = 0; x < width; x++) row.set([r, g, b], x * 3);
    rows.push(Buffer.concat([Buffer.from([0]), row]));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const dataUrlOf = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;
