/**
 * The client always gets the upstream's bytes untouched, compressed or not (we never change Accept-Encoding). To read
 * usage from a compressed response we decompress a COPY of each chunk on the side with zlib and feed the observer.
 * The copy's backlog is capped, so a slow decoder can never make the proxy hold an unbounded amount of memory.
 */
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import type { MessageObserver } from './messageOutcome';

export interface DecodedCopy {
  write(chunk: Buffer): void;
  /** All bytes written: resolves once the observer has seen everything decoded. */
  end(): Promise<void>;
  /** Stop decoding (cut stream). */
  destroy(): void;
  /** Why the copy could not be decoded, once it failed. */
  readonly problem: string | undefined;
}

const MAX_DECODER_BACKLOG_BYTES = 8 * 1024 * 1024;

function decoderFor(encoding: string): Transform | undefined {
  // Z_SYNC_FLUSH on finish: a cut stream yields what it has instead of an "unexpected end of file" error.
  const finishFlush = zlib.constants.Z_SYNC_FLUSH;
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush });
    case 'deflate':
      return zlib.createInflate({ finishFlush });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

class IdentityCopy implements DecodedCopy {
  readonly problem = undefined;
  constructor(private readonly observer: MessageObserver) {}
  write(chunk: Buffer): void {
    if (!this.observer.gaveUp) this.observer.push(chunk);
  }
  async end(): Promise<void> {
    this.observer.end();
  }
  destroy(): void {}
}

class ZlibCopy implements DecodedCopy {
  problem: string | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly decoder: Transform,
    private readonly observer: MessageObserver,
    private readonly encoding: string,
  ) {
    decoder.on('data', (decoded: Buffer) => {
      observer.push(decoded);
      if (observer.gaveUp) decoder.destroy();
    });
    this.finished = new Promise((resolve) => {
      decoder.once('end', () => {
        observer.end();
        resolve();
      });
      decoder.once('close', resolve);
      decoder.once('error', () => {
        this.problem ??= `the ${this.encoding}-encoded body could not be decoded`;
        resolve();
      });
    });
  }

  write(chunk: Buffer): void {
    if (this.decoder.destroyed) return;
    if (this.decoder.writableLength > MAX_DECODER_BACKLOG_BYTES) {
      this.problem = `decoding the ${this.encoding} body fell behind the stream`;
      this.decoder.destroy();
      return;
    }
    this.decoder.write(chunk);
  }

  end(): Promise<void> {
    if (!this.decoder.destroyed) this.decoder.end();
    return this.finished;
  }

  destroy(): void {
    this.decoder.destroy();
  }
}

/** A copy for the response's Content-Encoding, or the reason it cannot be read (several or unknown encodings). */
export function createDecodedCopy(
  contentEncoding: string | undefined,
  observer: MessageObserver,
): DecodedCopy | { unreadable: string } {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return new IdentityCopy(observer);
  const decoder = codings.length === 1 ? decoderFor(codings[0]) : undefined;
  if (!decoder) return { unreadable: `content-encoding "${codings.join(', ').slice(0, 40)}" cannot be decoded` };
  return new ZlibCopy(decoder, observer, codings[0]);
}
