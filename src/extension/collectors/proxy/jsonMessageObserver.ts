/**
 * Reads the call from a non-streaming Messages response. Keeps a bounded copy of the (decoded) body: beyond the cap the
 * copy is dropped and the call is not recorded, the response itself still goes through whole.
 */
import { type MessageObserver, type MessageOutcome, isFields, parseJson, readMessage } from './messageOutcome';

export class JsonMessageObserver implements MessageObserver {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private overflow = false;
  private ended = false;

  constructor(private readonly maxBytes: number) {}

  get finalUsageSeen(): boolean {
    return this.ended && !this.overflow;
  }

  get gaveUp(): boolean {
    return this.overflow;
  }

  push(chunk: Uint8Array): void {
    if (this.overflow || this.ended) return;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.overflow = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  outcome(): MessageOutcome {
    if (this.overflow) {
      const size =
        this.maxBytes >= 1024 * 1024
          ? `${Math.round(this.maxBytes / (1024 * 1024))} MB`
          : `${Math.round(this.maxBytes / 1024)} KB`;
      return { ok: false, problem: `the JSON body is larger than ${size}, too large to read its usage` };
    }
    if (!this.ended) return { ok: false, problem: 'the JSON body did not arrive completely' };
    const text = Buffer.concat(this.chunks).toString('utf8');
    this.chunks = [];
    const parsed = parseJson(text);
    if (!parsed.ok) return { ok: false, problem: 'the 2xx response body is not valid JSON' };
    const usage = isFields(parsed.value) ? parsed.value.usage : undefined;
    return readMessage(parsed.value, usage);
  }
}
