/**
 * Reads the call from a streamed Messages response as the events go by: `message_start` gives the id, model and the
 * starting usage, the last `message_delta` the cumulative final usage. Content events are skipped without parsing.
 */
import {
  type MessageObserver,
  type MessageOutcome,
  errorTypeOf,
  isFields,
  mergeUsage,
  parseJson,
  readMessage,
} from './messageOutcome';
import { type SseEvent, SseEventReader } from './sseEventReader';

const INTERESTING = new Set(['message_start', 'message_delta', 'error']);

export class SseMessageObserver implements MessageObserver {
  private readonly reader: SseEventReader;
  private message: unknown;
  private startUsage: unknown;
  private deltaUsage: unknown;
  private sawDelta = false;
  private problem: string | undefined;

  constructor(maxEventChars?: number) {
    this.reader = new SseEventReader((event) => this.onEvent(event), maxEventChars);
  }

  get finalUsageSeen(): boolean {
    return this.sawDelta && this.problem === undefined;
  }

  get gaveUp(): boolean {
    return this.problem !== undefined;
  }

  push(chunk: Uint8Array): void {
    if (this.problem === undefined) this.reader.push(chunk);
  }

  end(): void {
    if (this.problem === undefined) this.reader.end();
  }

  outcome(): MessageOutcome {
    if (this.problem !== undefined) return { ok: false, problem: this.problem };
    if (this.message === undefined) return { ok: false, problem: 'the event stream had no message_start event' };
    if (!this.sawDelta) {
      return { ok: false, problem: 'the event stream ended before its final usage (message_delta)' };
    }
    return readMessage(this.message, mergeUsage(this.startUsage, this.deltaUsage));
  }

  private onEvent(event: SseEvent): void {
    if (this.problem !== undefined) return;
    const named = event.event !== 'message';
    if (named && !INTERESTING.has(event.event)) return;
    if (event.truncated) {
      this.problem = `a ${event.event} event was too large to read`;
      return;
    }
    const parsed = parseJson(event.data);
    if (!parsed.ok) {
      // An unnamed event that is not JSON is none of the Messages API's; a named one is a broken stream.
      if (named) this.problem = `the ${event.event} event is not valid JSON`;
      return;
    }
    const data = parsed.value;
    const type = named ? event.event : isFields(data) && typeof data.type === 'string' ? data.type : '';
    if (type === 'message_start') this.onMessageStart(data);
    else if (type === 'message_delta') this.onMessageDelta(data);
    else if (type === 'error') this.problem = `the stream carried an error event (${errorTypeOf(data)})`;
  }

  private onMessageStart(data: unknown): void {
    if (this.message !== undefined) return;
    const message = isFields(data) ? data.message : undefined;
    if (!isFields(message)) {
      this.problem = 'the message_start event carried no message';
      return;
    }
    this.message = message;
    this.startUsage = message.usage;
  }

  private onMessageDelta(data: unknown): void {
    if (this.message === undefined) {
      this.problem = 'a message_delta event came before message_start';
      return;
    }
    const usage = isFields(data) ? data.usage : undefined;
    if (!isFields(usage)) {
      this.problem = 'the message_delta event carried no usage';
      return;
    }
    this.deltaUsage = usage;
    this.sawDelta = true;
  }
}
