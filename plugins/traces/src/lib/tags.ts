/** `a=b c=d` → {a: 'b', c: 'd'}; undefined when a part is not key=value. */
export function parseTags(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return undefined;
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** The entity page's path without the `/traces` tab (the logs tab's link starts from it). */
export function basePath(): string {
  return window.location.pathname.replace(/\/traces\/?$/, '');
}
