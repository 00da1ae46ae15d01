/**
 * Moves a response body to the client chunk by chunk as it arrives (SSE events are not held back), showing each
 * chunk to a tap on the way. When the client reads slowly, the source is paused until the client drains, so the
 * proxy never buffers more than the streams' own high-water marks.
 */
import type { Readable, Writable } from 'node:stream';

export function pumpWithTap(source: Readable, dest: Writable, tap: (chunk: Buffer) => void): void {
  source.on('data', (chunk: Buffer) => {
    tap(chunk);
    if (!dest.write(chunk)) source.pause();
  });
  dest.on('drain', () => source.resume());
}
