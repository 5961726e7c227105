import { makePdf } from '../__testUtils__/pdf';
import { parseDocument } from './parse';

const md = (s: string) =>
  parseDocument({
    filename: 'runbook.md',
    format: 'markdown',
    body: Buffer.from(s),
  });
const html = (s: string) =>
  parseDocument({
    filename: 'page.html',
    format: 'html',
    body: Buffer.from(s),
  });

describe('parseDocument', () => {
  it('turns Markdown headings into section paths and strips the markup', async () => {
    const doc = await md(
      [
        '# payments-api: restart',
        '',
        'Intro with **bold**, _emphasis_, `code` and a [link](https://x.example).',
        '',
        '## Rolling restart',
        '',
        '```bash',
        'kubectl rollout restart deployment/payments-api',
        '```',
        '',
        '### Checks',
        '',
        '- first item',
        '- second <b>item</b> &amp; more',
        '',
        '## Roll back',
        '',
        '| env | cluster |',
        '| --- | ------- |',
        '| dev | dev-cluster |',
      ].join('\n'),
    );
    expect(doc.title).toBe('payments-api: restart');
    expect(doc.sections).toEqual([
      {
        path: 'payments-api: restart',
        text: 'Intro with bold, emphasis, code and a link.',
      },
      {
        path: 'payments-api: restart › Rolling restart',
        text: 'kubectl rollout restart deployment/payments-api',
      },
      {
        path: 'payments-api: restart › Rolling restart › Checks',
        text: '- first item\n- second item & more',
      },
      {
        path: 'payments-api: restart › Roll back',
        text: 'env | cluster\ndev | dev-cluster',
      },
    ]);
  });

  it('uses front matter titles and file names when there is no heading', async () => {
    const doc = await md(
      '---\ntitle: "Ledger failover"\nowner: x\n---\nJust text.\n',
    );
    expect(doc).toEqual({
      title: 'Ledger failover',
      sections: [{ path: '', text: 'Just text.' }],
    });
    expect((await md('Only text.')).title).toBe('runbook');
  });

  it('reads HTML: drops script, style and nav, headings become sections, entities decoded', async () => {
    const doc =
      await html(`<!doctype html><html><head><title>Cert &amp; rotation</title>
      <style>body { color: red }</style><script>alert("x")</script></head>
      <body><nav><a href="/">Wiki</a> › Runbooks</nav>
      <main><h1>Certificate rotation</h1><p>Certificates are valid for <strong>20&nbsp;days</strong> &mdash; rotate &lt;weekly&gt;.</p>
      <h2>Steps</h2><ol><li>Renew</li><li>Reload the <code>gateway</code></li></ol>
      <pre><code>openssl x509 -noout
  -enddate</code></pre>
      <div hidden>secret drafts</div>
      <table><tr><th>env</th><th>cluster</th></tr><tr><td>dev</td><td>dev-cluster</td></tr></table>
      </main></body></html>`);
    expect(doc.title).toBe('Cert & rotation');
    expect(doc.sections).toEqual([
      {
        path: 'Certificate rotation',
        text: 'Certificates are valid for 20 days — rotate <weekly>.',
      },
      {
        path: 'Certificate rotation › Steps',
        text: '- Renew\n- Reload the gateway\n\nopenssl x509 -noout\n  -enddate\n\nenv | cluster\ndev | dev-cluster',
      },
    ]);
    const all = JSON.stringify(doc);
    for (const dropped of ['alert', 'color: red', 'Wiki', 'secret drafts']) {
      expect(all).not.toContain(dropped);
    }
  });

  it('reads plain text as one section', async () => {
    const doc = await parseDocument({
      filename: 'oncall.txt',
      format: 'text',
      body: Buffer.from('\uFEFFLine one\r\nLine two\n\n\n\nPara two  \n'),
    });
    expect(doc).toEqual({
      title: 'oncall',
      sections: [{ path: '', text: 'Line one\nLine two\n\nPara two' }],
    });
  });

  it('reads a PDF page by page', async () => {
    const body = await makePdf(
      [
        'Restart the payments-api pods.',
        'Roll back with kubectl rollout undo.',
      ],
      'Payments runbook',
    );
    const doc = await parseDocument({
      filename: 'runbook.pdf',
      format: 'pdf',
      body,
    });
    expect(doc).toEqual({
      title: 'Payments runbook',
      sections: [
        { path: 'page 1', text: 'Restart the payments-api pods.' },
        { path: 'page 2', text: 'Roll back with kubectl rollout undo.' },
      ],
    });
  });

  it('says exactly what is wrong with bad input', async () => {
    await expect(
      parseDocument({
        filename: 'broken.pdf',
        format: 'pdf',
        body: Buffer.from('%PDF-1.4 garbage'),
      }),
    ).rejects.toThrow(
      'broken.pdf is not a readable PDF: Invalid PDF structure',
    );
    await expect(
      parseDocument({
        filename: 'empty.md',
        format: 'markdown',
        body: Buffer.alloc(0),
      }),
    ).rejects.toThrow('empty.md is empty');
    await expect(md('   \n\n# \n')).rejects.toThrow(
      'runbook.md has no text to index',
    );
    await expect(
      html(
        '<html><head><title>x</title></head><body><script>x()</script></body></html>',
      ),
    ).rejects.toThrow('page.html has no text to index');
    await expect(
      parseDocument({
        filename: 'bin.txt',
        format: 'text',
        body: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      }),
    ).rejects.toThrow('bin.txt is not readable text: it is not UTF-8 text');
    await expect(
      parseDocument({
        filename: 'nul.txt',
        format: 'text',
        body: Buffer.from('a\u0000b'),
      }),
    ).rejects.toThrow(
      'nul.txt is not readable text: it holds binary data (NUL bytes)',
    );
    await expect(
      parseDocument({
        filename: 'blank.pdf',
        format: 'pdf',
        body: await makePdf(['']),
      }),
    ).rejects.toThrow(
      'blank.pdf has no text to index (a scanned PDF without a text layer?)',
    );
  });
});
