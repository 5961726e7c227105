/** Server-sent events of a whole response body: `{ event, data }` in order (data parsed as JSON). */
export function parseEventStream(
  body: string,
): Array<{ event: string; data: any }> {
  return body
    .split(/\n\n/)
    .map(block => block.split('\n').filter(l => l && !l.startsWith(':')))
    .filter(lines => lines.length)
    .map(lines => {
      const event =
        lines
          .find(l => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter(l => l.startsWith('data:'))
        .map(l => l.slice(5).trimStart())
        .join('\n');
      return { event, data: data ? JSON.parse(data) : undefined };
    });
}
