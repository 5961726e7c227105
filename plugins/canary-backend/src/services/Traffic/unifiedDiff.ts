/**
 * A unified diff of two texts (line based, 3 lines of context), as `diff -u` prints it; '' when
 * they are equal. Small inputs only (an HTTPRoute's YAML): the longest common subsequence is
 * computed in O(n·m).
 */
export function unifiedDiff(
  fromName: string,
  toName: string,
  before: string,
  after: string,
  context = 3,
): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  // lcs[i][j] = LCS length of a[i..], b[j..]
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ t: ' ', line: a[i], ai: i++, bi: j++ });
    } else if (
      j < b.length &&
      (i === a.length || lcs[i][j + 1] > lcs[i + 1][j])
    ) {
      ops.push({ t: '+', line: b[j], ai: i, bi: j++ });
    } else {
      ops.push({ t: '-', line: a[i], ai: i++, bi: j });
    }
  }
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].t === ' ') {
      k++;
      continue;
    }
    // a hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context lines away from the next one
    const start = Math.max(0, k - context);
    let end = k;
    let last = k;
    while (end < ops.length) {
      if (ops[end].t !== ' ') last = end;
      else if (end - last > 2 * context) break;
      end++;
    }
    const stop = Math.min(ops.length, last + context + 1);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter(o => o.t !== '+').length;
    const bCount = hunk.filter(o => o.t !== '-').length;
    const aStart = aCount ? hunk[0].ai + 1 : hunk[0].ai;
    const bStart = bCount ? hunk[0].bi + 1 : hunk[0].bi;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    k = stop;
  }
  return `${out.join('\n')}\n`;
}
