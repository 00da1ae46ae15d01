/**
 * A file written in chunks of about a megabyte: memory stays bounded however large the file grows, and one write
 * call per chunk keeps the generator fast. Synchronous on purpose: the generator does nothing else meanwhile.
 */
import fs from 'node:fs';

const CHUNK_CHARS = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private parts: string[] = [];
  private pendingChars = 0;
  bytes = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  /** Appends text holding `lines` complete lines. */
  write(text: string, lines = 1): void {
    this.parts.push(text);
    this.pendingChars += text.length;
    this.lines += lines;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pendingChars = 0;
    let off = 0;
    while (off < chunk.length) off += fs.writeSync(this.fd, chunk, off);
    this.bytes += chunk.length;
  }
}
