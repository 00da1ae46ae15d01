/**
 * Incremental server-sent-events reader (the WHATWG event-stream rules): bytes go in as they arrive, whole events come
 * out. Memory stays bounded whatever the stream's length: an over-long line or event is dropped and the event is
 * flagged `truncated` instead of growing a buffer.
 */

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** Part of the event was dropped because it exceeded the size limit. */
  truncated: boolean;
}

export const DEFAULT_MAX_SSE_EVENT_CHARS = 4 * 1024 * 1024;

export class SseEventReader {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly lineBreak = /\r\n?|\n/g;
  private partialLine = '';
  private partialOverflow = false;
  private endedWithCR = false;
  private eventName = '';
  private dataLines: string[] = [];
  private dataChars = 0;
  private truncated = false;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly maxEventChars = DEFAULT_MAX_SSE_EVENT_CHARS,
  ) {}

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** End of stream. An event without its closing blank line is discarded, as the spec says. */
  end(): void {
    this.feed(this.decoder.decode());
  }

  private feed(text: string): void {
    let start = 0;
    // A CR at the end of the previous chunk and an LF at the start of this one are one line break.
    if (this.endedWithCR && text.charCodeAt(0) === 10) start = 1;
    this.endedWithCR = false;
    this.lineBreak.lastIndex = start;
    for (let m = this.lineBreak.exec(text); m !== null; m = this.lineBreak.exec(text)) {
      this.completeLine(text.slice(start, m.index));
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === text.length) this.endedWithCR = true;
    }
    this.appendPartial(text.slice(start));
  }

  private appendPartial(piece: string): void {
    if (piece === '' || this.partialOverflow) return;
    if (this.partialLine.length + piece.length > this.maxEventChars) {
      this.partialOverflow = true;
      this.partialLine = '';
      return;
    }
    this.partialLine += piece;
  }

  private completeLine(tail: string): void {
    if (this.partialOverflow) {
      this.partialOverflow = false;
      this.partialLine = '';
      this.truncated = true;
      return;
    }
    const line = this.partialLine === '' ? tail : this.partialLine + tail;
    this.partialLine = '';
    if (line.length > this.maxEventChars) {
      this.truncated = true;
      return;
    }
    this.processLine(line);
  }

  private processLine(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'event') {
      this.eventName = value;
    } else if (field === 'data') {
      if (this.dataChars + value.length > this.maxEventChars) {
        this.truncated = true;
      } else {
        this.dataLines.push(value);
        this.dataChars += value.length + 1;
      }
    }
  }

  private dispatch(): void {
    const hasData = this.dataLines.length > 0 || this.truncated;
    const event: SseEvent = { event: this.eventName || 'message', data: this.dataLines.join('\n'), truncated: this.truncated };
    this.eventName = '';
    this.dataLines = [];
    this.dataChars = 0;
    this.truncated = false;
    if (hasData) this.onEvent(event);
  }
}
