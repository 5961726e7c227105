import PDFDocument from 'pdfkit';

/** A real PDF made with pdfkit: one page per entry (a page's text wraps as pdfkit lays it out). */
export async function makePdf(
  pages: string[],
  title?: string,
): Promise<Buffer> {
  const doc = new PDFDocument({ info: title ? { Title: title } : {} });
  const parts: Buffer[] = [];
  doc.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise(resolve => doc.on('end', resolve));
  pages.forEach((text, i) => {
    if (i) doc.addPage();
    doc.text(text);
  });
  doc.end();
  await done;
  return Buffer.concat(parts);
}
