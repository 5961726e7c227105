import { DefaultReportRenderer } from './DefaultReportRenderer';
import { finding, reportInput } from './testInput';

describe('HTML export', () => {
  it('is self-contained and escapes everything', async () => {
    const input = reportInput(20);
    input.run.findings[1] = finding(1, {
      message: '<script>alert("pwned")</script>',
      evidence: { query: 'up{job="a"} > 0 && <img src=x onerror=alert(1)>' },
    });
    input.exemptions[0].reason = '<b onmouseover="x()">why</b>';
    const out = await new DefaultReportRenderer({ title: 'Bank & Co' }).render(
      'html',
      input,
    );
    expect(out.contentType).toBe('text/html; charset=utf-8');
    expect(out.filename).toBe('inspection-3f2a9c1e-20261201.html');
    const html = out.body.toString('utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<h1>Bank &amp; Co</h1>');
    // no external resources
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('has the header, scores, diff, trend, findings with remediation and the register', async () => {
    const input = reportInput(20);
    const html = (
      await new DefaultReportRenderer().render('html', input)
    ).body.toString('utf8');
    expect(html).toContain(input.run.id);
    expect(html).toContain('Per cluster');
    expect(html).toContain('prod-cluster');
    expect(html).toContain(
      `Compared with run <code>${input.diff!.base.id}</code>`,
    );
    expect(html).toContain('<polyline');
    expect(html).toContain(
      'Read the previous logs: `kubectl logs --previous`.',
    );
    expect(html).toContain('CHG-1010');
    expect(html).toContain('3 findings are outside the namespaces you may see');
    expect(html).toContain('Check errors (1)');
  });

  it('renders a run without findings, diff or trend', async () => {
    const input = {
      ...reportInput(0),
      diff: undefined,
      trend: [],
      exemptions: [],
    };
    const html = (
      await new DefaultReportRenderer().render('html', input)
    ).body.toString('utf8');
    expect(html).toContain('No findings.');
    expect(html).toContain('No previous finished run');
    expect(html).toContain('No trend yet.');
    expect(html).toContain('No exemptions.');
  });
});
