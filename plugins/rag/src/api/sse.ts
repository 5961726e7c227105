/*
 * Server-sent events over fetch: the answer stream (POST /query) and the ingestion progress
 * (GET /collections/{name}/events). EventSource cannot send a POST body nor the Backstage token
 * header, so the response body is read as a stream and parsed here, following the WHATWG
 * "event stream interpretation": lines end in LF, CR or CRLF; `field: value` (one space after the
 * colon is dropped); `data` lines accumulate joined by LF; a blank line dispatches; `:` starts a
 * comment (keep-alives); what is left without a blank line at the end of the stream is dropped.
 */

/** One server-sent event. */
export interface SseMessage {
  /** `message` when the server named none */
  event: string;
  data: string;
  /** the last `id:` seen so far */
  lastEventId?: string;
}

/** Incremental parser: feed it decoded text in chunks of any size; it returns the completed events. */
export class SseParser {
  private buffer = '';
  private started = false;
  /** the previous chunk ended with CR: a LF opening the next one ends the same line */
  private skipLf = false;
  private eventName = '';
  private data: string[] = [];
  private lastEventId?: string;
  /** the last valid `retry:` (ms), for a caller that reconnects */
  retryMs?: number;

  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (!text) return [];
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const buf = this.buffer + text;
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = buf.slice(start, i);
      if (c === 13) {
        if (i + 1 === buf.length) this.skipLf = true;
        else if (buf.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      this.line(line, out);
    }
    this.buffer = buf.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]) {
    if (line === '') {
      if (this.data.length > 0) {
        out.push({
          event: this.eventName || 'message',
          data: this.data.join('\n'),
          lastEventId: this.lastEventId,
        });
      }
      this.eventName = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventName = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default: // unknown fields are ignored
    }
  }
}

/** The error a stopped stream rejects with (`name` AbortError, as fetch's). */
export function abortError(): Error {
  const e = new Error('The request was aborted');
  e.name = 'AbortError';
  return e;
}

/** True for the rejection of an aborted fetch / stream / upload. */
export function isAbortError(e: unknown): boolean {
  return (e as { name?: string } | undefined)?.name === 'AbortError';
}

/**
 * Reads a text/event-stream body to its end, handing each event to `onMessage` as it completes.
 * Resolves when the server closes the stream; rejects with an AbortError when `signal` aborts,
 * or with the read's error.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) throw abortError();
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  let finished = false;
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw abortError();
      if (done) {
        finished = true;
        break;
      }
      for (const m of parser.push(decoder.decode(value, { stream: true }))) {
        onMessage(m);
      }
    }
    for (const m of parser.push(decoder.decode())) onMessage(m);
  } catch (e) {
    if (signal?.aborted) throw abortError();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) reader.cancel().catch(() => undefined);
  }
}
