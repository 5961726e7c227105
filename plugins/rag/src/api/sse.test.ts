import { readEventStream, SseMessage, SseParser } from './sse';

/** Every event of `stream` fed to one parser in the given chunks. */
function parse(chunks: string[]): SseMessage[] {
  const parser = new SseParser();
  return chunks.flatMap(c => parser.push(c));
}

const STREAM =
  ': keep-alive\n' +
  'event: meta\n' +
  'data: {"id":"a1"}\n' +
  '\n' +
  'event: token\r\n' +
  'data: {"text":"Restart the pod [1]"}\r\n' +
  '\r\n' +
  'data: first line\r' +
  'data:second line\r' +
  'id: 42\r' +
  '\r' +
  'event: done\n' +
  'data: {"ok":true}\n' +
  '\n';

const EXPECTED: SseMessage[] = [
  { event: 'meta', data: '{"id":"a1"}', lastEventId: undefined },
  {
    event: 'token',
    data: '{"text":"Restart the pod [1]"}',
    lastEventId: undefined,
  },
  { event: 'message', data: 'first line\nsecond line', lastEventId: '42' },
  { event: 'done', data: '{"ok":true}', lastEventId: '42' },
];

describe('SseParser', () => {
  it('parses events with LF, CRLF and CR line ends, comments, multi-line data and ids', () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events whichever two chunks the stream is cut into', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      expect(parse([STREAM.slice(0, i), STREAM.slice(i)])).toEqual(EXPECTED);
    }
  });

  it('gives the same events one character at a time, and in chunks of 3 and 7', () => {
    expect(parse([...STREAM])).toEqual(EXPECTED);
    for (const size of [3, 7]) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) {
        chunks.push(STREAM.slice(i, i + size));
      }
      expect(parse(chunks)).toEqual(EXPECTED);
    }
  });

  it('counts a CR at the end of a chunk and a LF opening the next as one line end', () => {
    // were the LF a second line end, the blank line would dispatch `a` without its event name
    expect(parse(['event: x\r', '\ndata: a\r', '\n\r', '\n'])).toEqual([
      { event: 'x', data: 'a', lastEventId: undefined },
    ]);
    // an empty chunk in between changes nothing
    expect(parse(['data: a\r', '', '\n\r\n'])).toEqual([
      { event: 'message', data: 'a', lastEventId: undefined },
    ]);
  });

  it('drops a leading BOM, one space after the colon only, events without data and an unfinished event', () => {
    expect(
      parse([
        '\ufeffdata:  two spaces\n\n',
        'event: lonely\n\n',
        'data\n\n',
        'retry: 1500\nretry: soon\n',
        'unknown: field\ndata: x\n\n',
        'event: cut\ndata: never dispatched',
      ]),
    ).toEqual([
      { event: 'message', data: ' two spaces', lastEventId: undefined },
      { event: 'message', data: '', lastEventId: undefined },
      { event: 'message', data: 'x', lastEventId: undefined },
    ]);
    const parser = new SseParser();
    parser.push('retry: 1500\nretry: soon\n');
    expect(parser.retryMs).toBe(1500);
  });
});

/** A byte stream of `parts`, each its own chunk. */
function byteStream(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
}

describe('readEventStream', () => {
  it('decodes UTF-8 characters cut between chunks', async () => {
    const bytes = new TextEncoder().encode(
      'event: token\ndata: {"text":"Grüße — ✓"}\n\n',
    );
    // one byte per chunk: every multi-byte character is split
    const parts = [...bytes].map(b => Uint8Array.of(b));
    const seen: SseMessage[] = [];
    await readEventStream(byteStream(parts), m => seen.push(m));
    expect(seen).toEqual([
      {
        event: 'token',
        data: '{"text":"Grüße — ✓"}',
        lastEventId: undefined,
      },
    ]);
  });

  it('stops with an AbortError when its signal aborts, cancelling the stream', async () => {
    let cancelled = false;
    let push!: (s: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = s => controller.enqueue(new TextEncoder().encode(s));
      },
      cancel() {
        cancelled = true;
      },
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = readEventStream(
      body,
      m => {
        seen.push(m.data);
        controller.abort();
      },
      controller.signal,
    );
    push('data: one\n\n');
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['one']);
    expect(cancelled).toBe(true);
  });

  it("rejects with the handler's error and cancels the stream", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(
      readEventStream(body, () => {
        throw new Error('bad event');
      }),
    ).rejects.toThrow('bad event');
    expect(cancelled).toBe(true);
  });
});
