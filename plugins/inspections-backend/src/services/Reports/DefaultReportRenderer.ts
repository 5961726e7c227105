import { InputError } from '@backstage/errors';
import type { ExportFormat } from '@kubemate/plugin-inspections-common';
import type { RenderedReport, ReportInput, ReportRenderer } from './types';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderPdf } from './pdf';

export interface DefaultReportRendererOptions {
  /** The report's title (HTML and PDF). Default `Kubemate inspection`. */
  title?: string;
}

/** JSON, CSV, JUnit XML, HTML and PDF from the same input (pure: no I/O). */
export class DefaultReportRenderer implements ReportRenderer {
  private readonly title: string;

  constructor(options: DefaultReportRendererOptions = {}) {
    this.title = options.title ?? 'Kubemate inspection';
  }

  async render(
    format: ExportFormat,
    input: ReportInput,
  ): Promise<RenderedReport> {
    switch (format) {
      case 'json':
        return renderJson(input);
      case 'csv':
        return renderCsv(input);
      case 'junit':
        return renderJunit(input);
      case 'html':
        return renderHtml(input, this.title);
      case 'pdf':
        return renderPdf(input, this.title);
      default:
        throw new InputError(
          `Unknown export format '${format}': use json, csv, junit, html or pdf`,
        );
    }
  }
}
