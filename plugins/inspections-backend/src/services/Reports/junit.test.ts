import { DefaultReportRenderer } from './DefaultReportRenderer';
import { finding, reportInput } from './testInput';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Resolves entities; a bare `&` or `<` or an unknown entity is malformed XML. */
function unescape(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`bare '&' in ${where}`);
    if (ref.startsWith('#')) {
      const code = ref.startsWith('#x')
        ? parseInt(ref.slice(2), 16)
        : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code)) throw new Error(`bad reference ${m}`);
      return String.fromCodePoint(code);
    }
    if (!(ref in ENTITIES)) throw new Error(`unknown entity ${m} in ${where}`);
    return ENTITIES[ref];
  });
}

/**
 * A tiny well-formedness parser (elements, attributes, text, entities; the declaration): enough
 * to prove the export parses and to read its structure back. Throws on malformed input.
 */
function parseXml(xml: string): XmlElement {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = {
    name: '#root',
    attributes: {},
    children: [],
    text: '',
  };
  const stack = [root];
  while (rest.length > 0) {
    const top = stack[stack.length - 1];
    const lt = rest.indexOf('<');
    if (lt !== 0) {
      const raw = lt < 0 ? rest : rest.slice(0, lt);
      top.text += unescape(raw, `text of <${top.name}>`);
      rest = lt < 0 ? '' : rest.slice(lt);
      continue;
    }
    if (rest.startsWith('</')) {
      const m = /^<\/([^\s>]+)\s*>/.exec(rest);
      if (!m || m[1] !== top.name) {
        throw new Error(`unexpected close ${m?.[1]} in <${top.name}>`);
      }
      stack.pop();
      rest = rest.slice(m[0].length);
      continue;
    }
    const name = NAME.exec(rest.slice(1))?.[0];
    if (!name) throw new Error(`bad tag at ${rest.slice(0, 30)}`);
    rest = rest.slice(1 + name.length);
    const el: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      rest = rest.replace(/^\s+/, '');
      if (rest.startsWith('/>')) {
        rest = rest.slice(2);
        top.children.push(el);
        break;
      }
      if (rest.startsWith('>')) {
        rest = rest.slice(1);
        top.children.push(el);
        stack.push(el);
        break;
      }
      const a = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(rest);
      if (!a)
        throw new Error(`bad attribute in <${name}>: ${rest.slice(0, 30)}`);
      if (a[1] in el.attributes) throw new Error(`duplicate ${a[1]}`);
      el.attributes[a[1]] = unescape(a[2], `attribute ${a[1]}`);
      rest = rest.slice(a[0].length);
    }
  }
  if (stack.length !== 1)
    throw new Error(`<${stack[stack.length - 1].name}> not closed`);
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim())
    throw new Error('not one root');
  return elements[0];
}

const all = (el: XmlElement, name: string): XmlElement[] => [
  ...el.children.filter(c => c.name === name),
  ...el.children.flatMap(c => all(c, name)),
];

describe('JUnit export', () => {
  it('the tiny parser rejects malformed XML', () => {
    expect(() => parseXml('<a>x & y</a>')).toThrow(/bare '&'/);
    expect(() => parseXml('<a><b></a>')).toThrow(/unexpected close/);
    expect(() => parseXml('<a t="<"/>')).toThrow(/raw '<'/);
    expect(parseXml('<a t="&lt;"><b/>x &amp; y</a>').attributes.t).toBe('<');
  });

  it('is a testsuite per category and a testcase per check execution, escaped', async () => {
    const input = reportInput(30);
    input.run.findings[0] = finding(0, {
      message: 'ends with ]]> and <script>alert("x")</script> & more\u0001',
    });
    const out = await new DefaultReportRenderer().render('junit', input);
    expect(out.contentType).toBe('application/xml; charset=utf-8');
    expect(out.filename).toBe('inspection-3f2a9c1e-20261201.xml');
    const doc = parseXml(out.body.toString('utf8'));
    expect(doc.name).toBe('testsuites');
    expect(Number(doc.attributes.tests)).toBe(input.run.checks.length);

    const suites = all(doc, 'testsuite');
    expect(suites.map(s => s.attributes.name).sort()).toEqual([
      'application',
      'cluster',
      'database',
      'host',
      'security',
    ]);
    const cases = all(doc, 'testcase');
    expect(cases).toHaveLength(input.run.checks.length);
    expect(cases.map(c => c.attributes.name)).toContain(
      'cluster.pods-crashloop [dev-cluster]',
    );

    const crashloop = cases.find(
      c => c.attributes.name === 'cluster.pods-crashloop [dev-cluster]',
    )!;
    const failure = all(crashloop, 'failure')[0];
    expect(failure.text).toContain(
      'ends with ]]> and <script>alert("x")</script> & more',
    );
    expect(failure.text).not.toContain('\u0001');

    const error = cases.find(
      c => c.attributes.name === 'database.table-growth',
    )!;
    expect(all(error, 'error')[0].attributes.message).toBe(
      "PostgreSQL target 'stack' (127.0.0.1:5432/app) failed: timeout & <refused>",
    );
    // exempted findings are noted, not failed
    const exempted = input.run.findings.find(f => f.status === 'exempted')!;
    const out2 = all(doc, 'system-out')
      .map(s => s.text)
      .join('\n');
    expect(out2).toContain(`exempted (${exempted.exemptionId})`);
    expect(
      Number(
        suites.find(s => s.attributes.name === 'database')!.attributes.errors,
      ),
    ).toBe(1);
  });

  it('marks skipped executions', async () => {
    const input = reportInput(0);
    input.run.checks[0] = {
      ...input.run.checks[0],
      status: 'skipped',
      message: 'etcd not configured',
    };
    const out = await new DefaultReportRenderer().render('junit', input);
    const doc = parseXml(out.body.toString('utf8'));
    const skipped = all(doc, 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].attributes.message).toBe('etcd not configured');
    expect(all(doc, 'failure')).toHaveLength(0);
  });
});
